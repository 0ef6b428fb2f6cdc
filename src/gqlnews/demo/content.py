"""The demo newsroom's fixed furniture: masthead, sections, authors, tags, supplements.

Everything here is fictional and written for the demo; the stories live in ``stories_*``.
"""

from __future__ import annotations

from gqlnews.demo.specs import AuthorSpec, SectionSpec, SupplementSpec, TagSpec
from gqlnews.models import TagKind

NEWSPAPER = "L'Observateur du Matin"
MEDIA_BASE = "https://medias.observateur.example"
EMAIL_DOMAIN = "observateur.example"
FIRST_EDITION_NUMBER = 6201
"""Number of the oldest of the fourteen demo editions."""

PHOTOGRAPHERS = ("Karim Alaoui", "Imane Zerouali", "Anas Belhaj")
AGENCY_CREDITS = ("AFP", "© D.R", "Archives L'Observateur")

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "une",
        "À la une",
        "Les articles que la rédaction met en avant ce jour.",
        0,
        first_page=1,
        last_page=1,
    ),
    SectionSpec(
        "edito",
        "Éditorial",
        "La position de la rédaction, chaque matin.",
        1,
        first_page=2,
        last_page=2,
    ),
    SectionSpec(
        "politique",
        "Politique",
        "Gouvernement, Parlement, partis et institutions.",
        2,
        first_page=3,
        last_page=5,
    ),
    SectionSpec(
        "monde", "Monde", "L'actualité internationale vue de Rabat.", 3, first_page=6, last_page=7
    ),
    SectionSpec(
        "afrique",
        "Afrique",
        "Le continent, du Sahel à l'Afrique australe.",
        0,
        parent="monde",
        first_page=8,
        last_page=8,
    ),
    SectionSpec(
        "europe",
        "Europe",
        "L'Union européenne et nos voisins du Nord.",
        1,
        parent="monde",
        first_page=9,
        last_page=9,
    ),
    SectionSpec(
        "economie",
        "Économie",
        "Conjoncture, entreprises, finances publiques.",
        4,
        first_page=10,
        last_page=12,
    ),
    SectionSpec(
        "societe", "Société", "Éducation, santé, vie quotidienne.", 5, first_page=13, last_page=15
    ),
    SectionSpec(
        "regions",
        "Régions",
        "Nos correspondants de Tanger à Dakhla.",
        6,
        first_page=16,
        last_page=17,
    ),
    SectionSpec(
        "culture",
        "Culture",
        "Cinéma, livres, musique et patrimoine.",
        7,
        first_page=18,
        last_page=20,
    ),
    SectionSpec(
        "sport",
        "Sport",
        "Football, athlétisme et tous les terrains.",
        8,
        first_page=21,
        last_page=23,
    ),
    SectionSpec(
        "chroniques",
        "Chroniques",
        "Billets, tribunes et regards décalés.",
        9,
        first_page=24,
        last_page=24,
    ),
)

AUTHORS: tuple[AuthorSpec, ...] = (
    AuthorSpec(
        "leila-bennis",
        "Leïla Bennis",
        "éditorialiste",
        "Directrice de la rédaction, elle signe l'éditorial du matin depuis 2019.",
    ),
    AuthorSpec(
        "omar-seddiki",
        "Omar Seddiki",
        "éditorialiste",
        "Rédacteur en chef adjoint, ancien chef du service Politique.",
    ),
    AuthorSpec(
        "samira-lahlou",
        "Samira Lahlou",
        "journaliste",
        "Service Monde. Suit l'Afrique et les organisations internationales.",
    ),
    AuthorSpec(
        "nadir-belkacem",
        "Nadir Belkacem",
        "correspondant",
        "Correspondant à Tripoli, il couvre la Libye et le Maghreb oriental.",
    ),
    AuthorSpec(
        "mehdi-lazrak",
        "Mehdi Lazrak",
        "correspondant",
        "Correspondant à Bruxelles, spécialiste des institutions européennes.",
    ),
    AuthorSpec(
        "youssef-haddaoui",
        "Youssef Haddaoui",
        "journaliste",
        "Service Politique. Parlement, partis et réformes institutionnelles.",
    ),
    AuthorSpec(
        "hind-sqalli",
        "Hind Sqalli",
        "journaliste",
        "Service Économie. Finances publiques, banques et énergie.",
    ),
    AuthorSpec(
        "rachid-naciri",
        "Rachid Naciri",
        "journaliste",
        "Service Société. Éducation, santé et questions sociales.",
    ),
    AuthorSpec(
        "salma-kettani",
        "Salma Kettani",
        "critique",
        "Service Culture. Cinéma, littérature et patrimoine.",
    ),
    AuthorSpec(
        "hamza-berrada",
        "Hamza Berrada",
        "journaliste",
        "Service Sport. Football national et équipe nationale.",
    ),
    AuthorSpec(
        "houda-rami",
        "Houda Rami",
        "journaliste",
        "Édition arabe. Traduit et adapte les grands dossiers du journal.",
    ),
    AuthorSpec(
        "driss-fellah",
        "Driss Fellah",
        "chroniqueur",
        "Chroniqueur. Son billet observe la ville et ses travers.",
    ),
    AuthorSpec(
        "nour-eddine-tahiri",
        "Nour-Eddine Tahiri",
        "correspondant",
        "Correspondant régional à Agadir, il couvre le Sud et l'Oriental.",
    ),
)

EDITORIALISTS = ("leila-bennis", "omar-seddiki")
ARABIC_DESK = "houda-rami"
COLUMNIST = "driss-fellah"

_PLACES = (
    ("maroc", "Maroc"),
    ("rabat", "Rabat"),
    ("casablanca", "Casablanca"),
    ("marrakech", "Marrakech"),
    ("fes", "Fès"),
    ("agadir", "Agadir"),
    ("libye", "Libye"),
    ("tripoli", "Tripoli"),
    ("algerie", "Algérie"),
    ("france", "France"),
    ("sahel", "Sahel"),
)
_ORGANISATIONS = (
    ("otan", "OTAN"),
    ("union-africaine", "Union africaine"),
    ("onu", "ONU"),
    ("fmi", "FMI"),
    ("bank-al-maghrib", "Bank Al-Maghrib"),
    ("union-europeenne", "Union européenne"),
    ("caf", "Confédération africaine de football"),
    ("parlement", "Parlement"),
)
_THEMES = (
    ("elections", "Élections"),
    ("diplomatie", "Diplomatie"),
    ("secheresse", "Sécheresse"),
    ("energie", "Énergie"),
    ("football", "Football"),
    ("cinema", "Cinéma"),
    ("education", "Éducation"),
    ("sante", "Santé"),
    ("eau", "Eau"),
    ("inflation", "Inflation"),
    ("securite", "Sécurité"),
    ("migrations", "Migrations"),
    ("livre", "Livre"),
    ("budget", "Budget"),
    ("agriculture", "Agriculture"),
    ("patrimoine", "Patrimoine"),
    ("transports", "Transports"),
    ("athletisme", "Athlétisme"),
)
_PERSONS = (
    ("khaled-mansouri", "Khaled Mansouri"),
    ("salma-ait-lahcen", "Salma Aït Lahcen"),
    ("youssef-el-ghazi", "Youssef El Ghazi"),
    ("nadia-zemmouri", "Nadia Zemmouri"),
)

TAGS: tuple[TagSpec, ...] = (
    *(TagSpec(slug, name, TagKind.PLACE) for slug, name in _PLACES),
    *(TagSpec(slug, name, TagKind.ORGANISATION) for slug, name in _ORGANISATIONS),
    *(TagSpec(slug, name, TagKind.THEME) for slug, name in _THEMES),
    *(TagSpec(slug, name, TagKind.PERSON) for slug, name in _PERSONS),
)

SUPPLEMENTS: tuple[SupplementSpec, ...] = (
    SupplementSpec(
        "special-economie-2027",
        "Spécial Économie 2027",
        "Croissance, emploi, investissement : nos économistes et nos reporters dressent les "
        "perspectives de l'année qui vient.",
        days_ago=10,
        section="economie",
        page_count=16,
        cover_caption="Un chantier d'infrastructure portuaire, symbole de l'investissement public",
    ),
    SupplementSpec(
        "guide-saison-culturelle",
        "Guide de la saison culturelle d'hiver",
        "Festivals, expositions, théâtre et cinéma : les rendez-vous de l'hiver, de Tanger à "
        "Dakhla, choisis par le service Culture.",
        days_ago=6,
        section="culture",
        page_count=12,
        cover_caption="Une salle de spectacle de Rabat avant une représentation",
    ),
    SupplementSpec(
        "supplement-mondial-des-clubs",
        "Supplément Mondial des clubs",
        "Les trente-deux équipes, les stades, les joueurs à suivre et le parcours de l'Union "
        "d'Anfa, notre représentant.",
        days_ago=2,
        section="sport",
        page_count=20,
        cover_caption="Les joueurs de l'Union d'Anfa à l'entraînement",
    ),
)
