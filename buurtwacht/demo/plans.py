"""The groups of the demo town: real streets of the shipped open data (no two groups share
a street, and only Korreweg and De Hoogte overlap, on purpose), how big they grow, how
busy they are and what they do.  Data only: town.py and history.py play it."""

from dataclasses import dataclass

from buurtwacht.groups.models import Listing

PERSONA_GROUP = "Buurtpreventie Grote Beerstraat"


@dataclass(frozen=True)
class Plan:
    """One group of the town; `size`: admins and members it grows to."""

    name: str
    streets: tuple[str, ...]
    size: int
    founded: int  # days ago
    alerts_per_week: float
    officer: str = ""  # key of OFFICERS: its wijkagent
    sign: str = ""  # how far its sign request got (history.SIGN_STAGES)
    notices: int = 0
    subscribers: int = 0
    quiet_since: int = 0  # days ago: no alert or chat since (a sleeping group)
    listing: str = ""  # set by the admin when not the default (listed from 3 members)
    own_rules: str = ""


PLANS = [
    Plan(PERSONA_GROUP, ("Grote Beerstraat",), 24, 165, 1.6, "pieter", "ordered", 2, 7),
    Plan(
        "Sterrenbuurt Paddepoel",
        ("Pleiadenlaan", "Noorderkroonstraat", "Hyadenpad"),
        14,
        150,
        0.9,
        "pieter",
        "requested",
        1,
        3,
    ),
    Plan(
        "Buurtwacht Plutolaan",
        ("Plutolaan", "Mercuriusstraat", "Meteoorstraat"),
        12,
        140,
        0.8,
        "pieter",
    ),
    Plan(
        "Selwerd Samen Alert",
        ("Concordiastraat", "Radijsstraat", "Mutua Fidesstraat"),
        11,
        160,
        0.9,
        "pieter",
        notices=1,
        subscribers=2,
    ),
    Plan(
        "Oranjewijk Waakzaam",
        ("Koninginnelaan", "Prinsesseweg", "Graaf Adolfstraat"),
        28,
        168,
        1.6,
        "pieter",
        "placed",
        3,
        9,
        own_rules="Meld eerst bij 112 bij direct gevaar. Geen foto's van personen in de chat.",
    ),
    Plan("Tuinbouwbuurt", ("Tuinbouwstraat", "Tuinbouwdwarsstraat"), 13, 120, 0.9, "pieter"),
    Plan(
        "Binnenstad-Noord",
        ("Visserstraat", "Oude Kijk in 't Jatstraat", "Grote Leliestraat"),
        16,
        160,
        1.4,
        "inge",
        "delivered",
        2,
        4,
    ),
    Plan(
        "Oosterstraat en Poelestraat",
        ("Oosterstraat", "Poelestraat", "Nieuwe Markt"),
        12,
        130,
        1.5,
        "inge",
    ),
    Plan(
        "Schildersbuurt",
        ("Kraneweg", "Mondriaanstraat", "Taco Mesdagplein"),
        15,
        155,
        1.0,
        "inge",
        "approved",
        1,
        2,
    ),
    Plan(
        "Oosterpoort Noord",
        ("Van Julsinghastraat", "Joachim Altinghstraat", "Frederiksplein"),
        9,
        110,
        0.6,
        "inge",
    ),
    Plan("Trompsingel", ("Trompsingel",), 7, 100, 0.4, quiet_since=110),
    Plan(
        "Rivierenbuurt",
        ("IJsselstraat", "Rabenhauptstraat", "Barestraat"),
        14,
        150,
        1.0,
        "marco",
        notices=1,
        subscribers=3,
    ),
    Plan(
        "Stephensonstraat en Huygensstraat",
        ("Stephensonstraat", "Huygensstraat"),
        8,
        90,
        0.5,
        "marco",
    ),
    Plan(
        "Buurtpreventie Helpman",
        ("Coendersweg", "Helper Kerkstraat", "Waldeck-Pyrmontstraat"),
        13,
        145,
        0.8,
        "marco",
        "declined",
        1,
        2,
    ),
    Plan("Helperpark", ("Helperpark",), 10, 125, 0.6, "marco"),
    Plan(
        "Chopinlaan en omgeving",
        ("Chopinlaan", "Schaepmanlaan", "Thorbeckelaan"),
        9,
        100,
        0.5,
        "marco",
    ),
    Plan(
        "De Wijert",
        ("Multatulistraat", "Potgieterstraat", "Jacques Perkstraat", "Verweystraat"),
        12,
        135,
        0.7,
    ),
    Plan(
        "Reviusstraat e.o.",
        ("Reviusstraat", "Van Moerkerkenlaan", "Moddermanlaan"),
        6,
        80,
        0.4,
        quiet_since=95,
    ),
    Plan(
        "Corpus den Hoorn",
        ("Laan Corpus den Hoorn", "Semmelweisstraat", "Paracelsusstraat"),
        10,
        115,
        0.6,
    ),
    Plan(
        "Oosterparkwijk Bloemenbuurt",
        ("Hortensialaan", "Pioenstraat", "Anemoonstraat", "Goudenregenstraat"),
        20,
        160,
        1.3,
        "sanne",
        notices=2,
        subscribers=4,
    ),
    Plan(
        "Linnaeusplein",
        ("Linnaeusplein", "Professor Enno Dirk Wiersmastraat", "Dirk Huizingastraat"),
        7,
        70,
        0.5,
        "sanne",
    ),
    Plan(
        "De Hoogte",
        ("Star Numanstraat", "Van Swinderenstraat", "Van Hamelstraat"),
        12,
        140,
        0.9,
        "sanne",
    ),
    # Deliberately overlapping De Hoogte: a main street's own group beside the side
    # streets' group (R-REG-2: its founder confirmed the overlap).
    Plan("Korreweg", ("Korreweg",), 18, 60, 1.2, "sanne"),
    Plan("Indische Buurt", ("Billitonstraat", "Bonairestraat"), 9, 105, 0.7, "sanne"),
    Plan(
        "Bedumerstraat en Asingastraat",
        ("Bedumerstraat", "Asingastraat", "Jacob Catsstraat"),
        15,
        130,
        1.0,
        "sanne",
        notices=1,
        subscribers=2,
    ),
    Plan(
        "Vinkhuizen-Zuid",
        ("Metaallaan", "Magnesiumlaan", "Natriumstraat", "Aluminiumstraat"),
        11,
        150,
        1.1,
        "erik",
    ),
    Plan(
        "Vinkhuizen-Noord",
        ("Kwartsstraat", "Bloedkoraalstraat", "Spinelstraat", "Robijnstraat"),
        9,
        120,
        0.8,
        "erik",
    ),
    Plan(
        "Hoogkerk Centrum",
        ("Ten Oeverlaan", "De Sanstraat", "Jan Bulthuisstraat", "H.N. Werkmanstraat"),
        12,
        140,
        0.8,
        "erik",
        notices=1,
        subscribers=2,
    ),
    Plan("Lewenborg Noord", ("Roer", "Stuurhut", "Kraaienest"), 16, 150, 1.1),
    Plan("Beijum-Oost", ("Onnemaheerd", "Fultsemaheerd"), 10, 110, 0.8, listing=Listing.UNLISTED),
    Plan(
        "Reitdiep", ("Lutherstraat", "Simonsstraat", "Anselmusstraat", "Voetiusstraat"), 2, 12, 0.0
    ),
]

# Verified police officers (platform staff verified them; `grant_role` as for Pieter).
OFFICERS = {
    "inge": ("Inge Smit", "Paterswoldseweg", 40),
    "marco": ("Marco de Wit", "Paterswoldseweg", 60),
    "sanne": ("Sanne Postma", "Damsterdiep", 40),
    "erik": ("Erik Boersma", "Friesestraatweg", 20),
}
