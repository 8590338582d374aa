# ruff: noqa: SIM905, E501  (word lists read and edit best as text)
"""Our own Dutch word lists for the polite-language check (R-RUL-3).

Written for this project from knowledge of the language, not copied from any list.  Words
are written as people spell them; `language.py` folds them the same way as the text (lower
case, no accents, repeated letters squeezed), so "klootzak" also matches "kloooootzak".

Kinds: CURSE and INSULT give `warn`; SLUR gives `block`.  THREAT and the group rules live in
`language.py` as patterns.
"""

# Swearing: "godverdomme", "kut", "shit".
CURSE_WORDS = """
godverdomme godverdomse godverdorie godver goddomme goddamme godsamme gvd ggvd
verdomme verdomd verdomde potverdomme
kut kutje kutjes klote kloten kutten kanker knkr kenker kanka tering teringen tyfus tiefus tyf
godskolere godsklere godsdomme godverdomt creperen kreperen
kolere klere pleuris pleure sodemieter sodemieteren
shit fuck fucking fck fack wtf stfu fokking focking fcking fkn fucken
verkloten verklote verneuken verneukt neuken neuk
oprotten oprot opgerot opdonderen opgedonderd opflikkeren opgeflikkerd opsodemieteren
oplazeren opgelazerd optiefen optyfen opkankeren opgekankerd opzouten opsodemieter
""".split()

# Insults aimed at a person: "klootzak", "eikel", "trut".
INSULT_WORDS = """
klootzak klootzakken klootviool klootjesvolk klojo
eikel eikels lul lulletje lulhannes oetlul wijf wijven gestoorde gestoorden
hufter hufters schoft schoften smeerlap smeerlappen rotzak rotzakken rotwijf rotjoch
viespeuk viezerik vuilak vuilakken etterbak zeikerd zeiklul etters ettertje
gluiperd gluiperds pis
trut trutten teef teven slet sletten sloerie hoer hoeren hoertje bitch bitches kreng
idioot idioten imbeciel imbecielen debiel debielen achterlijk achterlijke zwakzinnig
mongool mongolen downie spast spasticus sukkel sukkels loser losers dombo domkop
stomkop stommeling mafketel randdebiel randdebielen malloot halvegare
tuig gespuis geteisem uitschot schorem gajes tokkie tokkies aso asos klaplopers
hoerenjong hoerenzoon moederneuker mietje zakkenwasser zakkenwassers
asshole motherfucker bastard cunt dickhead
""".split()

# Slurs: words that attack people for their origin, skin colour, religion, sexuality.
SLUR_WORDS = """
nikker nikkers neger negers negerin negertje negerzoen bosneger zandneger zandnegers
roetmop roetmoppen zwartjoekel zwartjoekels apenkop
geitenneuker geitenneukers kamelenneuker kamelenneukers kameelneuker
spleetoog spleetogen poepchinees tjingtjong
cultuurverrijker cultuurverrijkers kansenparel kansenparels gelukszoeker gelukszoekers
jodenstreken kleurling kleurlingen zwartje zwartjes
gelukzoeker gelukzoekers
flikker flikkers moffen
""".split()

# A word that starts with one of these is a curse compound ("kankerlijer", "kutbuurt",
# "klotebuurt", "teringzooi"), unless it is listed in COMPOUND_EXCEPTIONS.
CURSE_PREFIXES = """
kanker kut klote tering tyfus tiefus kolere klere pleuris godver
fuck shit pokke pokken hoeren
""".split()

# A word that ends in one of these is an insult compound ("kankerlijer", "kutwijf",
# "geitenneuker", "randdebiel").
INSULT_HEADS = """
lijer lijers wijf wijven klootzak klootzakken lul hoer hoeren hoertje mongool mongolen
debiel debielen idioot idioten trut teef slet hufter eikel neuker neukers kut
""".split()

# A word that ends in one of these is a slur compound ("zandneger").
SLUR_HEADS = """
neger negers nikker nikkers
""".split()

# Words that merely contain a bad word, and medical compounds with "kanker": never flagged.
COMPOUND_EXCEPTIONS = """
knikker knikkers knikkeren geknikker snikker
negeren negeer negeert genegeerd tevens sukkelen sukkelt gesukkel flikkeren flikkert
geflikker flikkerde flikkerend
kutikel kutikels
klerenkast klerenkasten klerenhanger klerenhangers klerenwinkel klerenzak klerenkoffer
kleren
poker pokeren pokeravond pokemon
hoera hoeraatje
shiitake
pokebowl pokebowls
eikelboom
tyfusvaccin tyfusvaccinatie buiktyfus jaknikker jaknikkers kukelekuut zaniker zanikers
verhoer verhoeren verhoren panikeer uitglijer uitglijers glijer
""".split()

# "kanker..." compounds about the illness: kankerpatiënt, kankeronderzoek, KWF.
MEDICAL_KANKER_RESTS = """
patient onderzoek bestrijding cel cellen verwek fonds zorg behandel centrum afdeling
diagnos risico gezwel soort vereniging preventie instituut specialist screening medicijn
therapie ziekenhuis geval gevallen sterfte overlever lotgeno vrij type stadium gen
bestraling chirurg arts verpleeg poli ziekte collecte wandel loop fiets achtig epidemie
groei industrie kliniek lijder lijdster medicatie operatie probleem proces register
registratie tumor virus vorm vraagstuk weefsel wond vaccin prik briefje bacterie bestrijd
plan plek straal
""".split()
# Illnesses whose compounds can be medical (kankerpatiënt, pokkenvaccin, teringlijder).
ILLNESS_PREFIXES = "kanker pokke pokken tering tyfus".split()
# Checked as written, before squeezing.
RAW_EXCEPTIONS = """
losser lossers sleet versleet afsleet uitsleet verreken verrekenen verrekent
""".split()

# Near a bare "kanker" or "tyfus" (the word alone), these mean the illness is meant.
ILLNESS_CUES = """
ziek ziekte ziekenhuis chemo chemotherapie bestraling bestralingen behandeling behandeld
diagnose gediagnosticeerd overleden gestorven overlijden genezen genezing patient
onderzoek kwf uitgezaaid tumor operatie geopereerd terminaal vastgesteld geconstateerd
strijd inzameling collecte collectant fonds doel sponsor sponsoren oncoloog gehad
longen borst darm prostaat huid alvleesklier hersenen bloed leukemie gezwel
beterschap sterkte herstel hospice palliatief rouw condoleance
""".split()
# Right before the bare word: "heeft kanker", "aan kanker", "tegen kanker".
ILLNESS_BEFORE = """
heeft had hebben hadden kreeg kregen gekregen aan tegen met door geen over vanwege
bij is was heb hoort helaas ook weer opnieuw
""".split()

# Right after the bare word, a verb or preposition: "kanker bij honden komt vaak voor".
ILLNESS_AFTER = """
is was gehad overleden en of heeft had bij in aan van wordt werd komt kwam kan kun gaat ging
terug genezen behandeld vastgesteld geconstateerd ontdekt uitgezaaid zijn te bestrijden
voorkomen krijgt kreeg treft trof
""".split()

# People named by origin, skin colour, religion or sexuality (plural and singular).
GROUP_NOUNS = """
buitenlander buitenlanders allochtoon allochtonen marokkaan marokkanen turk turken
polen roemeen roemenen bulgaar bulgaren antilliaan antillianen surinamer surinamers
somalier somaliers syrier syriers afghaan afghanen eritreeer eritreeers irakees irakezen
arabier arabieren afrikaan afrikanen zwarten moslim moslims islamiet islamieten
jood joden zigeuner zigeuners roma woonwagenbewoners asielzoeker asielzoekers mocro mocros hoofddoekjes mohammedanen
vluchteling vluchtelingen statushouder statushouders immigrant immigranten migrant
migranten oostblokker oostblokkers oosteuropeanen chinezen aziaat aziaten
homo homos homoseksueel homoseksuelen homoseksuele lesbienne lesbiennes transgender
transgenders transseksuelen gehandicapte gehandicapten vrouwen azc
""".split()
# "Marokkaanse jongeren", "zwarte mensen": an origin adjective before one of these.
GROUP_ADJECTIVES = """
marokkaanse turkse poolse roemeense bulgaarse antilliaanse surinaamse somalische
syrische afghaanse eritrese irakese arabische afrikaanse zwarte donkere gekleurde
buitenlandse allochtone islamitische joodse oosteuropese chinese aziatische getinte zwart
marokkaans turks pools roemeens bulgaars antilliaans surinaams somalisch syrisch afghaans
arabisch afrikaans buitenlands allochtoon islamitisch joods aziatisch oosteuropees
""".split()
GROUP_PEOPLE = """
mensen personen jongeren jongens mannen vrouwen meiden gasten kinderen arbeiders
bouwvakkers families gezinnen types figuren lui volk tuig medelanders persoon
""".split()

# Said about a group, these always discriminate: "X zijn uitschot", "ik haat X".
GROUP_HATE = """
tuig uitschot gespuis geteisem ongedierte afval rotzooi ratten apen beesten dieren
kakkerlakken parasieten plaag pest virus barbaren wilden minderwaardig waardeloos
walgelijk walgelijke verachtelijk verachtelijke weerzinwekkend weerzinwekkende afstotend
afstotende vuiligheid smerig smerige haat haten hekel veracht verachten minachting walg
walgen uitroeien vergassen oprotten eruit domste achterlijk achterlijke onmenselijke onmenselijk
onbeschaafd onbeschaafde verafschuw verafschuwen uitstaan ergste erger kotsen kots
misselijk vermoorden doden afslachten opsluiten kooien kooi dierentuin verkrachten
uitgeroeid waardeloze walgelijkst verwerpelijk verwerpelijke schandalig stinken stinkende
minder ontdoen gedumpt stortplaats vuilnis uitgeschakeld niks niets
gewelddadig gewelddadige wreed wrede kankergezwel keel sterven doodgaan verdienen lijden
verpesten verpest verzieken verziekt verloederen verloedering
""".split()
# Right before the group noun: "vuile buitenlanders", "luie Polen".
GROUP_ADJ_HATE = """
vuile vieze smerige stomme domme luie achterlijke walgelijke kut klote kanker tyfus
gore gluiperige achterbakse
tering zogenaamde
""".split()
# Said about a group with a generaliser ("allemaal", "altijd", "zijn"): "al die X zijn
# criminelen", "X stelen altijd".
GROUP_CRIME = """
criminelen crimineel dieven dievenpak inbrekers zakkenrollers stelen steelt jatten jat
verkrachters terroristen profiteurs uitkeringstrekkers zuipen zuiplappen lui zwervers
inbreken inbrekers inbreker roven beroven overlast zooi troep rommel herrie lawaai stank
rondhangen hangen vernielen vernielingen bedelen profiteren uitkering gevaarlijk gevaarlijke agressief agressieve dood eruit stom dom vies
vuil gevaar bedreiging weg terug
""".split()
