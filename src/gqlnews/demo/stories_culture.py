"""Stories of the Culture desk."""

from __future__ import annotations

from gqlnews.demo.arabic import AR_FILM_FESTIVAL
from gqlnews.demo.specs import Piece, Quote, Story, Visibility
from gqlnews.models import Genre

DRAFT_FESTIVAL = Piece(
    Genre.REPORT,
    "Festival de Marrakech : les coulisses du palmarès",
    "Comment le jury a tranché, récit d'une délibération de onze heures.",
    slug="festival-de-marrakech-les-coulisses-du-palmares",
    visibility=Visibility.DRAFT,
)

FILM_FESTIVAL = Story(
    key="festival-marrakech",
    section="culture",
    tags=("cinema", "marrakech", "nadia-zemmouri"),
    authors=("salma-kettani",),
    place="Marrakech",
    subject="le festival international du film de Marrakech",
    actor="le directeur artistique du festival",
    stake="la place du cinéma africain dans la sélection",
    figure="Nadia Zemmouri",
    figure_desc="réalisatrice",
    facts=(
        "La compétition officielle réunit quatorze longs métrages, dont trois premiers films "
        "réalisés par des cinéastes du continent.",
        "Le jury est présidé cette année par une réalisatrice saluée pour ses drames intimistes.",
        "Les projections en plein air sur la place Jemaa el-Fna attirent chaque soir plusieurs "
        "milliers de spectateurs.",
        "Le film de Nadia Zemmouri, tourné dans le Haut Atlas, figure parmi les favoris de la "
        "critique.",
        "Les ateliers du festival accompagnent une vingtaine de projets en développement venus "
        "d'Afrique et du monde arabe.",
    ),
    quotes=(
        Quote(
            "Je filme les montagnes comme d'autres filment des visages.",
            "la réalisatrice Nadia Zemmouri",
        ),
        Quote(
            "Marrakech est devenu un lieu où se décident des carrières.", "un producteur tunisien"
        ),
    ),
    scenes=(
        "Le tapis rouge du palais des congrès de Marrakech",
        "Une projection en plein air sur la place Jemaa el-Fna",
        "Nadia Zemmouri sur le tournage de son film dans le Haut Atlas",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Le festival du film de Marrakech dévoile sa compétition",
            "Quatorze films sont en lice, dont trois premiers longs métrages africains.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Nadia Zemmouri : « Je filme les montagnes comme des visages »",
            "La réalisatrice présente en compétition un film tourné dans les villages du Haut "
            "Atlas.",
        ),
        AR_FILM_FESTIVAL,
        Piece(
            Genre.REPORT,
            "Jemaa el-Fna, la plus grande salle de cinéma du pays",
            "Chaque soir, des milliers de spectateurs s'installent sur la place pour les "
            "projections gratuites.",
        ),
        Piece(
            Genre.NEWS,
            "Le palmarès du festival de Marrakech",
            "Le grand prix récompense un premier film sénégalais ; Nadia Zemmouri reçoit le "
            "prix de la mise en scène.",
        ),
        Piece(
            Genre.CHRONICLE,
            "Ce que le cinéma dit de nous",
            "Une salle obscure, un public rieur, et soudain le pays entier à l'écran.",
            section="chroniques",
        ),
        DRAFT_FESTIVAL,
    ),
    first_day=10,
    last_day=4,
)

BOOKS = Story(
    key="livre",
    section="culture",
    tags=("livre", "rabat", "casablanca"),
    authors=("salma-kettani",),
    place="Rabat",
    subject="la saison littéraire marocaine",
    actor="le président du jury du prix de la Médina",
    stake="la diffusion du livre en arabe et en amazighe",
    figure="Mourad Sebti",
    figure_desc="romancier",
    facts=(
        "Le prix de la Médina du roman a dévoilé sa liste de six finalistes, dont deux premiers "
        "romans.",
        "Les éditeurs indépendants signalent une hausse des ventes de romans écrits en darija et "
        "en amazighe.",
        "Le prix moyen d'un livre neuf reste élevé au regard du pouvoir d'achat, notent les "
        "libraires.",
        "Un programme de bibliothèques de quartier doit ouvrir vingt nouveaux lieux de lecture "
        "d'ici l'été.",
    ),
    quotes=(
        Quote(
            "Un roman n'a pas besoin d'une langue officielle pour trouver ses lecteurs.",
            "une éditrice casablancaise",
        ),
        Quote(
            "J'écris pour mes voisins avant d'écrire pour les jurys.", "le romancier Mourad Sebti"
        ),
    ),
    scenes=(
        "Une librairie indépendante du centre de Rabat",
        "Mourad Sebti sur une terrasse de la médina",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Prix de la Médina : six finalistes en lice",
            "Deux premiers romans figurent dans la dernière sélection du jury.",
        ),
        Piece(
            Genre.PORTRAIT,
            "Mourad Sebti, le romancier des terrasses",
            "Son quatrième roman raconte un immeuble de Rabat, étage par étage.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Le livre, un marché qui se cherche",
            "Prix élevés, réseau de librairies clairsemé : l'édition marocaine cherche de "
            "nouveaux lecteurs.",
        ),
        Piece(
            Genre.BRIEF,
            "Vingt bibliothèques de quartier d'ici l'été",
            "Le programme vise en priorité les quartiers périphériques des grandes villes.",
        ),
    ),
    first_day=13,
    last_day=3,
)

MEDINA = Story(
    key="medina-fes",
    section="culture",
    tags=("patrimoine", "fes"),
    authors=("salma-kettani", "nour-eddine-tahiri"),
    place="Fès",
    subject="la restauration de la médina de Fès",
    actor="le directeur de l'agence de sauvegarde de la médina",
    stake="le maintien des artisans dans la vieille ville",
    figure="Zineb Harrak",
    figure_desc="architecte du patrimoine",
    facts=(
        "Une nouvelle tranche de travaux concerne une vingtaine de fondouks et de maisons "
        "anciennes menacés d'effondrement.",
        "Les artisans du cuivre et du cuir s'inquiètent de la hausse des loyers liée à l'essor "
        "des maisons d'hôtes.",
        "Les travaux privilégient les matériaux traditionnels, bois de cèdre, chaux et zellige, "
        "avec des maîtres artisans formés sur place.",
        "La médina de Fès, inscrite au patrimoine mondial, compte plusieurs milliers de bâtiments "
        "historiques.",
    ),
    quotes=(
        Quote("Restaurer un fondouk, c'est aussi restaurer un métier.", "un maître menuisier"),
        Quote("Une médina sans habitants devient un décor.", "une architecte du patrimoine"),
    ),
    scenes=(
        "La cour d'un fondouk en cours de restauration à Fès",
        "Un artisan dinandier dans son atelier de la médina",
    ),
    pieces=(
        Piece(
            Genre.REPORT,
            "Dans la médina de Fès, les fondouks retrouvent leur souffle",
            "Échafaudages de bois, odeur de chaux, artisans au travail : reportage dans un "
            "chantier hors norme.",
        ),
        Piece(
            Genre.NEWS,
            "Patrimoine : vingt fondouks en restauration à Fès",
            "La nouvelle tranche de travaux doit s'achever en deux ans.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Zineb Harrak : « Une médina sans habitants devient un décor »",
            "L'architecte du patrimoine plaide pour une restauration qui protège aussi les "
            "habitants.",
        ),
        Piece(
            Genre.BRIEF,
            "Fès : un centre de formation aux métiers du patrimoine",
            "Menuisiers, plâtriers et zelligeurs y formeront une nouvelle génération d'artisans.",
        ),
    ),
    first_day=9,
    last_day=6,
)

NEIGHBOURHOOD_CINEMA = Story(
    key="cinema-de-quartier",
    section="culture",
    tags=("cinema", "casablanca"),
    authors=("salma-kettani",),
    place="Casablanca",
    subject="la réouverture des salles de cinéma de quartier",
    actor="le président de l'association des exploitants",
    stake="l'accès des jeunes publics au grand écran",
    figure="Abdelkrim Jabri",
    figure_desc="projectionniste depuis cinquante ans",
    facts=(
        "Trois salles de quartier fermées depuis plus de vingt ans rouvrent à Casablanca après "
        "des travaux de rénovation.",
        "La programmation mêle films récents, classiques restaurés et séances pour les scolaires.",
        "Le prix du billet a été fixé à un niveau volontairement bas pour attirer les familles.",
        "Le pays comptait plus de deux cents salles dans les années 1980 ; il en reste "
        "aujourd'hui une petite centaine.",
    ),
    quotes=(
        Quote(
            "Une salle qui rouvre, c'est un quartier qui se remet à rêver.",
            "un habitant de Derb Sultan",
        ),
        Quote(
            "Les jeunes viennent, à condition qu'on aille les chercher.",
            "une médiatrice culturelle",
        ),
    ),
    scenes=(
        "La façade restaurée d'un cinéma de quartier de Casablanca",
        "La cabine de projection d'une salle rénovée",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Casablanca : trois cinémas de quartier rouvrent leurs portes",
            "Les salles, fermées depuis plus de vingt ans, ont été entièrement rénovées.",
        ),
        Piece(
            Genre.REPORT,
            "Le retour du cinéma de quartier",
            "Au premier rang, des enfants qui n'avaient jamais vu un film sur grand écran.",
        ),
        Piece(
            Genre.BRIEF,
            "Des séances scolaires dans les salles rénovées",
            "Les écoles du quartier pourront réserver des projections gratuites.",
        ),
    ),
    first_day=7,
    last_day=2,
)

CULTURE_STORIES: tuple[Story, ...] = (FILM_FESTIVAL, BOOKS, MEDINA, NEIGHBOURHOOD_CINEMA)
