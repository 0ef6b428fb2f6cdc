"""Stories of the Économie desk."""

from __future__ import annotations

from gqlnews.demo.arabic import AR_INFLATION
from gqlnews.demo.specs import Piece, Quote, Story, Visibility
from gqlnews.models import Genre

EMBARGOED_RATE = Piece(
    Genre.NEWS,
    "Bank Al-Maghrib abaisse son taux directeur à 2 %",
    "La banque centrale assouplit sa politique monétaire pour la deuxième fois cette année.",
    slug="bank-al-maghrib-abaisse-son-taux-directeur",
    visibility=Visibility.EMBARGOED,
)

EMBARGOED_IMF = Piece(
    Genre.NEWS,
    "Croissance : le FMI relève ses prévisions pour 2027",
    "Le Fonds table désormais sur une croissance de 4 % l'an prochain.",
    slug="croissance-le-fmi-releve-ses-previsions-pour-2027",
    visibility=Visibility.EMBARGOED,
)

FUTURE_GRID = Piece(
    Genre.NEWS,
    "Électricité : la ligne à haute tension Sud-Nord mise en service",
    "La nouvelle liaison doit acheminer l'électricité des centrales solaires vers le Nord.",
    slug="electricite-la-ligne-a-haute-tension-sud-nord-mise-en-service",
    visibility=Visibility.FUTURE,
)

CENTRAL_BANK = Story(
    key="bank-al-maghrib",
    section="economie",
    tags=("bank-al-maghrib", "inflation", "maroc"),
    authors=("hind-sqalli",),
    place="Rabat",
    subject="la politique monétaire de Bank Al-Maghrib",
    actor="le wali de Bank Al-Maghrib",
    stake="la maîtrise de l'inflation",
    figure="Abdelhak Benslimane",
    figure_desc="wali de Bank Al-Maghrib",
    facts=(
        "Le conseil de Bank Al-Maghrib se réunit cette semaine pour sa dernière décision de "
        "politique monétaire de l'année.",
        "L'inflation est revenue sous la barre des 2 % sur un an, portée par le reflux des prix "
        "de l'énergie et de certains produits alimentaires.",
        "Les analystes restent partagés entre un statu quo et une baisse de vingt-cinq points de "
        "base du taux directeur.",
        "La banque centrale surveille de près l'évolution des crédits aux entreprises, restée "
        "modeste malgré l'assouplissement de l'an dernier.",
    ),
    quotes=(
        Quote(
            "La banque centrale préfère toujours arriver un peu tard que trop tôt.",
            "un économiste d'une banque de la place",
        ),
        Quote(
            "Les entreprises ont surtout besoin de visibilité sur plusieurs trimestres.",
            "une dirigeante de PME casablancaise",
        ),
    ),
    scenes=(
        "Le siège de Bank Al-Maghrib, à Rabat",
        "Un bureau de change du centre-ville de Casablanca",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Bank Al-Maghrib face au choix du taux directeur",
            "La dernière réunion de l'année s'annonce plus ouverte que prévu.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Inflation : le reflux se confirme, mais jusqu'à quand ?",
            "La baisse des prix de l'énergie a fait le gros du travail ; la suite est moins "
            "écrite.",
        ),
        AR_INFLATION,
        Piece(
            Genre.BRIEF,
            "Crédit aux entreprises : une reprise timide",
            "L'encours progresse à peine, malgré des conditions de financement plus favorables.",
        ),
        EMBARGOED_RATE,
    ),
    first_day=6,
    last_day=0,
)

IMF = Story(
    key="fmi",
    section="economie",
    tags=("fmi", "budget", "maroc"),
    authors=("hind-sqalli",),
    place="Rabat",
    subject="la mission annuelle du FMI",
    actor="le chef de la mission du FMI",
    stake="la soutenabilité de la dette publique",
    figure="Marten Oyelaran",
    figure_desc="chef de la mission du FMI pour le Maroc",
    facts=(
        "Une mission du Fonds monétaire international a achevé à Rabat ses consultations "
        "annuelles au titre de l'article IV.",
        "Le FMI salue la résilience de l'économie nationale tout en appelant à élargir "
        "l'assiette fiscale.",
        "L'institution recommande de poursuivre la réforme des entreprises publiques et de mieux "
        "cibler les subventions.",
        "La ligne de crédit modulable dont bénéficie le pays reste adaptée, selon les services du "
        "Fonds.",
    ),
    quotes=(
        Quote(
            "Les fondamentaux sont solides, mais la marge de manœuvre budgétaire doit être "
            "reconstituée.",
            "un membre de la mission du FMI",
        ),
        Quote(
            "Les recommandations du Fonds se ressemblent d'une année sur l'autre ; c'est leur "
            "mise en œuvre qui varie.",
            "un ancien directeur du Trésor",
        ),
    ),
    scenes=(
        "La conférence de presse de clôture de la mission du FMI",
        "Le quartier des affaires de Casablanca",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Le FMI salue la résilience de l'économie marocaine",
            "La mission annuelle du Fonds s'achève sur un satisfecit assorti de mises en garde.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Dette publique : les avertissements feutrés du FMI",
            "Derrière le ton diplomatique, le Fonds insiste sur la nécessité de reconstituer "
            "des marges budgétaires.",
        ),
        EMBARGOED_IMF,
    ),
    first_day=10,
    last_day=8,
)

GREEN_ENERGY = Story(
    key="hydrogene-vert",
    section="economie",
    tags=("energie", "maroc", "agadir"),
    authors=("hind-sqalli", "nour-eddine-tahiri"),
    place="Ouarzazate",
    subject="le programme d'hydrogène vert",
    actor="la ministre de la Transition énergétique",
    stake="la compétitivité de l'électricité renouvelable",
    figure="Yasmine Bekkali",
    figure_desc="fondatrice d'une jeune entreprise spécialisée dans l'électrolyse",
    facts=(
        "Six consortiums internationaux ont été présélectionnés pour développer des projets "
        "d'hydrogène vert dans les régions du Sud.",
        "La part des énergies renouvelables dans la capacité électrique installée a dépassé "
        "45 % cette année.",
        "Une nouvelle ligne à haute tension doit relier les centrales du Sud aux grands centres "
        "de consommation du Nord.",
        "Les industriels des engrais comptent parmi les premiers clients potentiels de "
        "l'hydrogène produit localement.",
    ),
    quotes=(
        Quote(
            "Le soleil est gratuit, mais les réseaux coûtent cher.",
            "un ingénieur du gestionnaire du réseau électrique",
        ),
        Quote(
            "Il faut former dès maintenant les techniciens dont ces projets auront besoin.",
            "une responsable d'école d'ingénieurs",
        ),
    ),
    scenes=(
        "Les miroirs de la centrale solaire thermique, près de Ouarzazate",
        "Un électrolyseur de démonstration dans un laboratoire",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Hydrogène vert : six consortiums présélectionnés",
            "Les projets retenus représentent plusieurs milliards de dirhams d'investissements.",
        ),
        Piece(
            Genre.REPORT,
            "Autour de Ouarzazate, l'énergie solaire change le paysage",
            "Emplois, routes, formations : ce que la centrale a changé pour les villages voisins.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Renouvelables : la question du réseau",
            "Produire ne suffit plus : il faut transporter et stocker l'électricité verte.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Yasmine Bekkali : « L'hydrogène vert n'est pas un mirage »",
            "La fondatrice d'une jeune pousse de l'électrolyse défend un secteur qu'on dit "
            "prématuré.",
        ),
        FUTURE_GRID,
    ),
    first_day=11,
    last_day=1,
)

ECONOMY_STORIES: tuple[Story, ...] = (CENTRAL_BANK, IMF, GREEN_ENERGY)
