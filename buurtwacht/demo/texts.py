"""What the demo's generated residents are called and write (Dutch, as they would).

Alerts describe behaviour first and never origin or skin colour (R-SAAR, issue 11);
notices hold no personal data (R-RUL-7).  Only data: the choices are made in history.py
with a seeded random generator."""

FIRST_NAMES = [
    "Jan",
    "Piet",
    "Kees",
    "Henk",
    "Gerrit",
    "Klaas",
    "Bram",
    "Daan",
    "Ruben",
    "Thijs",
    "Lars",
    "Niels",
    "Joris",
    "Wouter",
    "Sander",
    "Bas",
    "Tim",
    "Luuk",
    "Jesse",
    "Milan",
    "Ahmed",
    "Yusuf",
    "Mehmet",
    "Kevin",
    "Rik",
    "Stijn",
    "Erik",
    "Hans",
    "Wim",
    "Johan",
    "Marieke",
    "Annelies",
    "Sanne",
    "Femke",
    "Lisa",
    "Eva",
    "Sara",
    "Noor",
    "Fleur",
    "Iris",
    "Emma",
    "Julia",
    "Lotte",
    "Anouk",
    "Inge",
    "Ria",
    "Truus",
    "Hennie",
    "Willemijn",
    "Esther",
    "Fatima",
    "Samira",
    "Aylin",
    "Yara",
    "Hanna",
    "Roos",
    "Tessa",
    "Marloes",
    "Jolien",
    "Petra",
]

SURNAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "Huisman",
    "Postma",
    "Kuipers",
    "Veenstra",
    "Hoekstra",
    "Wiersma",
    "Bouma",
    "Kramer",
    "Hoogeveen",
    "Zijlstra",
    "Boersma",
    "Schuurman",
    "Oosterhof",
    "Nijenhuis",
    "Hofstede",
    "Bolhuis",
    "Tuinstra",
    "El Amrani",
    "Yilmaz",
    "Kaya",
]

ALERT_WHAT = {
    "suspicious_person": [
        "Iemand loopt al tien minuten langs de voordeuren en kijkt door de ramen.",
        "Persoon probeert bij meerdere schuurtjes de deur open te doen.",
        "Iemand fotografeert de achterkant van de huizen en loopt weg als je kijkt.",
        "Persoon staat lang bij de fietsenstalling en voelt aan de sloten.",
        "Iemand belt overal aan en vraagt naar een persoon die hier niet woont.",
        "Persoon loopt met een zaklamp door de achtertuinen.",
        "Twee personen lopen steeds heen en weer langs geparkeerde auto's en kijken erin.",
    ],
    "suspicious_vehicle": [
        "Bestelbus rijdt stapvoets rondjes door de straat, al drie keer langs.",
        "Auto staat met draaiende motor en lichten uit bij de hoek.",
        "Scooter met twee personen rijdt langzaam langs de fietsen en stopt telkens.",
        "Auto zonder kenteken aan de voorkant staat al de hele middag voor de speeltuin.",
        "Busje stopt bij garages, iemand stapt uit en kijkt bij de deuren.",
    ],
    "break_in": [
        "Glasgerinkel gehoord, iemand klimt bij de achterkant naar binnen.",
        "Voordeur van een buurhuis staat open en er schijnt een zaklamp binnen.",
        "Iemand is bezig met een schroevendraaier aan een raam op de begane grond.",
        "Schuurdeur opengebroken, persoon rent weg met een fiets.",
    ],
    "noise_vandalism": [
        "Groep jongeren trapt tegen de lantaarnpalen en gooit met stenen.",
        "Spiegels van geparkeerde auto's zijn eraf getrapt.",
        "Vuurwerk in de brievenbussen gegooid.",
        "Harde muziek en geschreeuw bij het pleintje, flessen kapotgegooid.",
        "Bushokje is vernield, glas ligt op het fietspad.",
        "Graffiti op de muur van het buurthuis gespoten.",
    ],
    "fire_medical": [
        "Rook uit de container achter de flat, er slaan vlammen uit.",
        "Oudere man is gevallen op de stoep en komt niet meer overeind.",
        "Brandlucht in het trappenhuis, rookmelder gaat af.",
    ],
    "other": [
        "Losse hond loopt over de weg tussen de auto's.",
        "Verlaten fiets met doorgeknipt slot ligt in de bosjes.",
        "Straatverlichting is uitgevallen in een deel van de straat.",
        "Pakketjes worden van de stoepen meegenomen door iemand op een fiets.",
        "Voordeur staat al de hele dag open bij een huis waar niemand thuis lijkt.",
    ],
}

PERSON = [
    {"clothing_top": "donkergroene jas met capuchon", "height": "ongeveer 1,80 m"},
    {"clothing_top": "grijze hoodie", "shoes": "witte sneakers", "age": "rond de 25"},
    {"clothing_top": "zwarte regenjas", "build": "slank", "hair": "kort, donker"},
    {"clothing_top": "rode bodywarmer", "clothing_bottom": "spijkerbroek"},
    {"clothing_top": "blauwe werkjas", "features": "rugzak met reflectiestrip"},
]
VEHICLE = [
    {"type": "bestelbus", "colour": "wit", "plate": "VX-123-B"},
    {"type": "personenauto", "make": "Volkswagen", "colour": "zwart"},
    {"type": "scooter", "colour": "rood"},
    {"type": "personenauto", "make": "Opel", "colour": "grijs", "plate": "12-TKR-4"},
]

UPDATES = [
    "Persoon is richting het park gelopen.",
    "Ze zijn weggereden richting de ringweg.",
    "Politie is gebeld, ze komen eraan.",
    "Ik zie niemand meer, het is weer rustig.",
    "Buurman heeft het ook gezien, zelfde omschrijving.",
    "Politie is ter plaatse en praat met de bewoners.",
    "Nog steeds in de straat, nu bij de kruising.",
    "Brandweer is er, het is onder controle.",
]

CHAT = [
    "Weet iemand of de buurtschouw volgende week doorgaat?",
    "Mijn buurvrouw heeft een pakketje voor nummer 12 aangenomen.",
    "Denken jullie eraan de schuur op slot te doen? Het wordt vroeg donker.",
    "Goed dat iedereen zo snel reageerde gisteren, dank jullie wel!",
    "Er hangt een nieuwe lamp bij het speeltuintje, scheelt een hoop.",
    "Koffie-ochtend in het buurthuis zaterdag om tien uur, iedereen welkom.",
    "Heeft iemand een ladder te leen? Mijn dakgoot zit vol.",
    "De gemeente komt dinsdag de kapotte tegels bij de hoek vervangen.",
    "Zwarte kat gevonden bij de fietsenstalling, is die van iemand hier?",
    "Ik ben volgende week op vakantie, willen jullie een oogje in het zeil houden?",
    "Prima, doe ik!",
    "Top, dank je.",
    "Ik kan ook helpen met flyeren.",
    "Graag gedaan, daar zijn we voor.",
]

FEEDBACK = [
    "Collega's zijn ter plaatse geweest; persoon is aangesproken en weggestuurd.",
    "Melding is opgenomen, we rijden de komende nachten extra rondes.",
    "Verdachte is aangehouden, dank voor de snelle melding en het goede signalement.",
    "Het kenteken is bekend bij ons; we nemen contact op met de eigenaar.",
    "Geen strafbare feiten geconstateerd, wel goed dat het gemeld is.",
]

NOTICES = [
    (
        "tip",
        "Donker? Doe het licht aan",
        "In de wintermaanden wordt er vaker ingebroken. Laat een lamp branden als je niet "
        "thuis bent en doe de schuur op slot. Hulp nodig bij het kiezen van goed hang- en "
        "sluitwerk? Kom naar het buurthuis.",
    ),
    (
        "meeting",
        "Buurtavond over veiligheid",
        "Op de buurtavond vertelt de wijkagent wat er speelt en hoe je een verdachte situatie "
        "goed meldt. De koffie staat klaar vanaf half acht in het buurthuis.",
    ),
    (
        "invitation",
        "Doe mee met de buurtpreventie",
        "Woon je in een van onze straten en wil je meedoen? Vraag het aan via deze pagina. "
        "We maken eerst kennis, daarna kun je meldingen zien en plaatsen.",
    ),
    (
        "tip",
        "Fietsen: twee sloten",
        "De meeste fietsen worden gestolen met alleen een ringslot. Zet je fiets met een "
        "tweede slot vast aan iets dat vastzit, ook als je maar even weg bent.",
    ),
    (
        "other",
        "Buurtschouw met de gemeente",
        "Samen met de gemeente lopen we door de straten om donkere plekken en kapotte "
        "verlichting te vinden. Loop je mee? We vertrekken om tien uur bij het pleintje.",
    ),
]

JOIN_MESSAGES = [
    "Ik woon hier sinds kort en wil graag meedoen.",
    "Buurvrouw vertelde over de groep, lijkt me goed.",
    "Ik ben vaak thuis en kijk graag mee.",
    "",
]

DENY_REASONS = ["Dit adres hoort niet bij onze straten.", "Geen kennismaking kunnen plannen."]
REMOVE_REASON = "Hield zich na een gesprek niet aan de huisregels."
SIGN_DECLINED = "De borden van dit jaar zijn op; vraag ze na 1 januari opnieuw aan."
