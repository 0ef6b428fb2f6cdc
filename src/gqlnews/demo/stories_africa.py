"""Stories of the Afrique page (Monde desk)."""

from __future__ import annotations

from gqlnews.demo.specs import Piece, Quote, Story
from gqlnews.models import Genre

SAHEL = Story(
    key="sahel",
    section="afrique",
    tags=("sahel", "union-africaine", "securite", "diplomatie"),
    authors=("samira-lahlou",),
    place="Niamey",
    subject="la coopération sécuritaire au Sahel",
    actor="la commissaire de l'Union africaine à la paix et à la sécurité",
    stake="la protection des populations civiles",
    figure="Aminata Diallo-Traoré",
    figure_desc="commissaire de l'Union africaine à la paix et à la sécurité",
    facts=(
        "Les ministres de la Défense de cinq pays sahéliens se sont réunis à Niamey pour évaluer "
        "la mise en œuvre de leur feuille de route commune.",
        "L'Union africaine a proposé de financer un centre régional de coordination du "
        "renseignement, dont le siège reste à déterminer.",
        "Les organisations humanitaires alertent sur le déplacement de plusieurs centaines de "
        "milliers de personnes dans la zone des trois frontières.",
        "La saison sèche, qui commence, est traditionnellement une période de forte activité des "
        "groupes armés.",
        "Plusieurs partenaires africains, dont le Maroc, ont proposé des programmes de formation "
        "pour les cadres militaires et les magistrats.",
    ),
    quotes=(
        Quote(
            "Sans développement, aucune victoire militaire ne tiendra plus d'une saison.",
            "un ancien officier nigérien",
        ),
        Quote(
            "Les populations attendent d'abord qu'on les protège, ensuite qu'on les écoute.",
            "une responsable d'une organisation humanitaire",
        ),
    ),
    scenes=(
        "Une patrouille dans la région de Tillabéri",
        "Les délégations réunies à Niamey",
        "Un camp de déplacés près de la frontière",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Sahel : les ministres de la Défense réunis à Niamey",
            "Les pays de la bande sahélienne font le point sur leur feuille de route "
            "sécuritaire commune, un an après son adoption.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Au Sahel, la tentation du tout-sécuritaire",
            "Les réponses militaires dominent encore l'agenda régional, au risque de négliger "
            "les causes profondes de l'instabilité.",
        ),
        Piece(
            Genre.REPORT,
            "Dans la zone des trois frontières, la vie suspendue des déplacés",
            "Des familles entières ont quitté leurs villages. Elles racontent l'attente, la "
            "peur et la solidarité.",
        ),
        Piece(
            Genre.PORTRAIT,
            "Aminata Diallo-Traoré, la voix de l'Union africaine au Sahel",
            "Juriste de formation, la commissaire a fait du dialogue avec les communautés sa "
            "marque de fabrique.",
        ),
        Piece(
            Genre.BRIEF,
            "L'Union africaine propose un centre régional de renseignement",
            "Le siège de la future structure fait déjà l'objet de discussions serrées.",
        ),
    ),
    first_day=13,
    last_day=2,
)


FOOD_SUMMIT = Story(
    key="ua-alimentation",
    section="afrique",
    tags=("union-africaine", "agriculture", "maroc", "diplomatie"),
    authors=("samira-lahlou",),
    place="Addis-Abeba",
    subject="le plan continental pour la sécurité alimentaire",
    actor="le président de la Commission de l'Union africaine",
    stake="la dépendance aux importations de céréales",
    figure="Emmanuel Kouassi-Ndong",
    figure_desc="économiste de l'Union africaine chargé du dossier agricole",
    facts=(
        "Réunis à Addis-Abeba, les chefs d'État et de gouvernement ont adopté un plan "
        "continental destiné à réduire la dépendance aux importations de céréales.",
        "Le texte prévoit la création d'un fonds de garantie pour les petits exploitants, "
        "alimenté par les États membres et les bailleurs internationaux.",
        "La délégation marocaine a présenté son expérience en matière d'engrais et d'irrigation "
        "au goutte-à-goutte.",
        "Selon la Commission, près d'un quart de la population du continent reste exposé à "
        "l'insécurité alimentaire.",
    ),
    quotes=(
        Quote(
            "Nous produisons ce que nous ne mangeons pas et nous mangeons ce que nous ne "
            "produisons pas.",
            "un ministre de l'Agriculture ouest-africain",
        ),
        Quote(
            "Le plan est ambitieux ; la question, comme toujours, est celle du financement.",
            "un diplomate en poste à Addis-Abeba",
        ),
    ),
    scenes=(
        "La salle plénière du siège de l'Union africaine",
        "Un marché aux céréales en périphérie d'Addis-Abeba",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "L'Union africaine adopte un plan pour sa sécurité alimentaire",
            "Les dirigeants du continent s'engagent à réduire de moitié les importations de "
            "céréales en dix ans.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Sécurité alimentaire : l'Afrique face au défi du financement",
            "Le plan adopté à Addis-Abeba ne vaudra que par les moyens qui lui seront consacrés.",
        ),
        Piece(
            Genre.INTERVIEW,
            "« Le continent peut nourrir sa population d'ici dix ans »",
            "Emmanuel Kouassi-Ndong, économiste de l'Union africaine, défend un plan qu'il a "
            "contribué à écrire.",
        ),
        Piece(
            Genre.BRIEF,
            "Addis-Abeba : le Maroc présente son programme d'engrais",
            "La délégation marocaine propose de partager son expérience avec les pays sahéliens.",
        ),
    ),
    first_day=11,
    last_day=6,
)


AFRICA_STORIES: tuple[Story, ...] = (SAHEL, FOOD_SUMMIT)
