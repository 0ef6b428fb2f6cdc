"""Stories of the Régions desk and its correspondents."""

from __future__ import annotations

from gqlnews.demo.specs import Piece, Quote, Story
from gqlnews.models import Genre

DESALINATION = Story(
    key="dessalement",
    section="regions",
    tags=("eau", "casablanca", "secheresse"),
    authors=("nour-eddine-tahiri", "rachid-naciri"),
    place="Casablanca",
    subject="le chantier de la station de dessalement de Casablanca",
    actor="le directeur régional de l'eau",
    stake="l'approvisionnement en eau potable de la métropole",
    figure="Karima Bensouda",
    figure_desc="ingénieure chargée du chantier",
    facts=(
        "La première tranche de la station de dessalement du Grand Casablanca doit entrer en "
        "service au printemps, avec plusieurs mois d'avance.",
        "À terme, l'usine doit fournir près de la moitié de l'eau potable consommée dans la "
        "région.",
        "Des restrictions d'arrosage et de lavage des véhicules restent en vigueur dans "
        "plusieurs communes.",
        "Les associations de consommateurs s'inquiètent de l'effet du dessalement sur le prix de "
        "l'eau au robinet.",
    ),
    quotes=(
        Quote(
            "Le dessalement n'est pas une solution miracle, c'est une assurance.", "un hydrologue"
        ),
        Quote(
            "On nous demande d'économiser l'eau, nous le faisons déjà depuis deux ans.",
            "une habitante de Mohammedia",
        ),
    ),
    scenes=(
        "Le chantier de la station de dessalement, au sud de Casablanca",
        "Les conduites d'amenée d'eau de mer en cours d'installation",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Dessalement : la station de Casablanca en avance sur son calendrier",
            "La première tranche pourrait fournir de l'eau potable dès le printemps.",
        ),
        Piece(
            Genre.REPORT,
            "Sur le chantier de l'usine qui doit abreuver Casablanca",
            "Trois mille ouvriers, des kilomètres de conduites et une course contre la montre.",
        ),
        Piece(
            Genre.BRIEF,
            "Restrictions d'eau prolongées dans plusieurs communes",
            "L'arrosage des espaces verts et le lavage des voitures restent encadrés.",
        ),
        Piece(
            Genre.CHRONICLE,
            "Le jour où mon robinet a toussé",
            "Petite méditation domestique sur une ressource qu'on croyait inépuisable.",
            section="chroniques",
        ),
    ),
    first_day=9,
    last_day=0,
)

TRAMWAY = Story(
    key="tramway",
    section="regions",
    tags=("transports", "rabat"),
    authors=("nour-eddine-tahiri",),
    place="Rabat",
    subject="l'extension du tramway de Rabat-Salé",
    actor="le président du conseil de la région",
    stake="la desserte des quartiers périphériques",
    figure="Hicham Ouazzani",
    figure_desc="urbaniste et enseignant à l'école d'architecture de Rabat",
    facts=(
        "Les travaux de la troisième ligne du tramway de Rabat-Salé ont débuté dans le quartier "
        "de Hay Riad.",
        "La nouvelle ligne doit relier les quartiers sud de la capitale à la gare de Rabat-Agdal "
        "sur une quinzaine de kilomètres.",
        "Les commerçants du boulevard concerné redoutent plusieurs mois de perturbations.",
        "La fréquentation du réseau a dépassé cent vingt mille voyageurs par jour, un record "
        "depuis sa mise en service.",
    ),
    quotes=(
        Quote("Le tramway a changé notre façon de vivre la ville.", "une étudiante de Salé"),
        Quote(
            "Nous demandons simplement qu'on nous accompagne pendant les travaux.",
            "un commerçant de Hay Riad",
        ),
    ),
    scenes=(
        "Une rame du tramway sur le pont Hassan II",
        "Les engins de chantier sur un boulevard de Hay Riad",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Tramway : les travaux de la troisième ligne lancés à Rabat",
            "La future ligne desservira les quartiers sud de la capitale.",
        ),
        Piece(
            Genre.REPORT,
            "Hay Riad à l'heure des chantiers",
            "Commerçants et riverains s'organisent pour traverser des mois de travaux.",
        ),
        Piece(
            Genre.BRIEF,
            "Tramway : cent vingt mille voyageurs par jour",
            "Le réseau de Rabat-Salé bat son record de fréquentation.",
        ),
    ),
    first_day=8,
    last_day=3,
)

OCTOPUS = Story(
    key="poulpe",
    section="regions",
    tags=("agadir", "maroc"),
    authors=("nour-eddine-tahiri",),
    place="Agadir",
    subject="la saison de pêche du poulpe",
    actor="le délégué régional de la pêche maritime",
    stake="la préservation de la ressource halieutique",
    figure="Lahcen Boutaleb",
    figure_desc="patron pêcheur à Agadir",
    facts=(
        "La saison de pêche du poulpe a rouvert au large des côtes atlantiques après un repos "
        "biologique de plusieurs mois.",
        "Les quotas ont été réduits cette année, sur recommandation des scientifiques de "
        "l'institut de recherche halieutique.",
        "Au port d'Agadir, les prix de première vente ont fortement augmenté dès les premiers "
        "débarquements.",
        "Les pêcheurs artisanaux dénoncent la concurrence des navires hauturiers dans les zones "
        "côtières.",
    ),
    quotes=(
        Quote("La mer nous donne moins, mais elle nous donne encore.", "un patron pêcheur"),
        Quote(
            "Sans repos biologique, il n'y aurait plus de poulpe à pêcher dans dix ans.",
            "une chercheuse en biologie marine",
        ),
    ),
    scenes=(
        "Des barques de pêche artisanale au port d'Agadir",
        "La criée d'Agadir au petit matin",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Réouverture de la pêche au poulpe, quotas en baisse",
            "Les scientifiques ont obtenu une réduction des prises autorisées.",
        ),
        Piece(
            Genre.REPORT,
            "Au port d'Agadir, la criée retrouve ses couleurs",
            "Avec le retour du poulpe, c'est toute l'économie du port qui se remet en mouvement.",
        ),
        Piece(
            Genre.PORTRAIT,
            "Lahcen Boutaleb, quarante ans de mer",
            "Patron pêcheur depuis l'adolescence, il a vu la ressource fondre et les règles "
            "changer.",
        ),
    ),
    first_day=13,
    last_day=5,
)

REGION_STORIES: tuple[Story, ...] = (DESALINATION, TRAMWAY, OCTOPUS)
