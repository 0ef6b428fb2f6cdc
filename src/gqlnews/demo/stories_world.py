"""Stories of the Monde desk, among them the Libya–NATO story and its reference article."""

from __future__ import annotations

from gqlnews.demo.arabic import AR_LIBYA_NATO
from gqlnews.demo.specs import Piece, Quote, Story
from gqlnews.models import Genre

ANATOMY_SLUG = "la-libye-et-l-otan-renouent-le-dialogue"

ANATOMY = Piece(
    Genre.NEWS,
    "La Libye et l'OTAN renouent le dialogue",
    "Après une décennie de relations en pointillé, Tripoli et l'Alliance atlantique ont acté la "
    "reprise d'un dialogue régulier, centré sur la sécurité maritime et la formation.",
    slug=ANATOMY_SLUG,
    extra_sections=("politique", "une"),
    credit="© D.R",
    scene="Khaled Mansouri et la délégation de l'OTAN à l'issue de leur rencontre à Tripoli",
    body=(
        "La Libye et l'OTAN ont décidé de reprendre un dialogue régulier, interrompu depuis près "
        "de dix ans. L'annonce a été faite à Tripoli, à l'issue de trois jours de discussions "
        "entre une délégation de l'Alliance atlantique et les responsables du ministère libyen "
        "des Affaires étrangères.",
        "Les deux parties se sont entendues sur un premier programme de travail. Il porte sur la "
        "formation des garde-côtes libyens, la surveillance des frontières sud du pays et la "
        "lutte contre les trafics d'armes qui alimentent l'instabilité au Sahel. Un groupe de "
        "travail conjoint se réunira avant la fin de l'année pour en fixer le calendrier.",
        "## Une coopération « civile et technique »",
        "Khaled Mansouri, le chef de la diplomatie libyenne, a tenu à rassurer une opinion "
        "publique méfiante : la coopération envisagée restera « strictement civile et "
        "technique » et n'impliquera aucune présence militaire étrangère sur le sol libyen. Le "
        "souvenir des années de guerre reste vif, et le gouvernement sait que le sujet divise.",
        "> « Nous ne cherchons pas une tutelle, nous cherchons des partenaires fiables », a "
        "résumé le ministre lors d'une conférence de presse.",
        "Du côté de l'Alliance, on insiste sur la dimension méditerranéenne du rapprochement. "
        "Plusieurs pays de la rive nord plaident depuis longtemps pour une relance du dialogue "
        "avec Tripoli, jugée indispensable à la sécurité de la Méditerranée centrale.",
        "## Des attentes concrètes",
        "Dans le port de Tripoli, les équipages des garde-côtes attendent surtout du matériel, "
        "des formations et des salaires versés à temps. « Le dialogue est rouvert, il reste à "
        "lui donner un contenu », observe une diplomate européenne en poste dans la capitale "
        "libyenne.",
        "Pour la Libye, l'enjeu est aussi politique : montrer qu'elle redevient un interlocuteur "
        "à part entière sur la scène régionale. Pour l'OTAN, il s'agit de ne pas laisser le "
        "champ libre à d'autres puissances sur la rive sud de la Méditerranée. Les prochains "
        "mois diront si ce dialogue renoué débouche sur des résultats tangibles.",
    ),
)

LIBYA_NATO = Story(
    key="libye-otan",
    section="monde",
    tags=("libye", "otan", "tripoli", "diplomatie", "securite", "khaled-mansouri"),
    authors=("nadir-belkacem", "samira-lahlou"),
    place="Tripoli",
    subject="le rapprochement entre la Libye et l'OTAN",
    actor="le ministre libyen des Affaires étrangères",
    stake="la sécurité de la Méditerranée centrale",
    figure="Khaled Mansouri",
    figure_desc="chef de la diplomatie libyenne",
    facts=(
        "Une délégation de l'OTAN a séjourné trois jours à Tripoli, une première depuis près de "
        "dix ans selon les services du ministère libyen des Affaires étrangères.",
        "Les discussions ont porté sur la formation des garde-côtes, la surveillance des "
        "frontières sud et la lutte contre les trafics d'armes.",
        "Le gouvernement libyen insiste sur le caractère strictement civil et technique de la "
        "coopération envisagée avec l'Alliance.",
        "Plusieurs pays de la rive nord de la Méditerranée plaident depuis longtemps pour une "
        "relance du dialogue avec la Libye.",
        "Un groupe de travail conjoint doit se réunir avant la fin de l'année pour fixer un "
        "premier programme de coopération.",
    ),
    quotes=(
        Quote(
            "Nous ne cherchons pas une tutelle, nous cherchons des partenaires fiables.",
            "un conseiller du ministre libyen",
        ),
        Quote(
            "Le dialogue est rouvert, il reste à lui donner un contenu.",
            "une diplomate européenne en poste à Tripoli",
        ),
    ),
    scenes=(
        "La délégation de l'OTAN à son arrivée au ministère des Affaires étrangères",
        "Le port de Tripoli, au cœur des discussions sur la surveillance maritime",
        "Khaled Mansouri lors d'une conférence de presse",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "L'OTAN envoie une délégation à Tripoli",
            "Pour la première fois depuis près de dix ans, des responsables de l'Alliance "
            "atlantique sont reçus officiellement dans la capitale libyenne.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Entre Tripoli et l'Alliance, une méfiance lente à dissiper",
            "Le passé pèse sur les discussions, mais les deux parties ont chacune intérêt à "
            "renouer.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Khaled Mansouri : « La Libye veut des partenaires, pas des tuteurs »",
            "Le chef de la diplomatie libyenne détaille ce qu'il attend de la coopération "
            "avec l'OTAN.",
            extra_sections=("politique",),
        ),
        Piece(
            Genre.REPORT,
            "À Tripoli, les garde-côtes attendent du concret",
            "Dans le port de la capitale libyenne, les équipages jugent les discussions sur "
            "pièces : matériel, formation, salaires.",
        ),
        AR_LIBYA_NATO,
        Piece(
            Genre.BRIEF,
            "Libye : un groupe de travail conjoint avec l'OTAN",
            "Le calendrier de la coopération doit être arrêté avant la fin de l'année.",
        ),
        ANATOMY,
    ),
    first_day=9,
    last_day=0,
)

WATER_UN = Story(
    key="onu-eau",
    section="monde",
    tags=("onu", "eau", "secheresse", "algerie"),
    authors=("samira-lahlou",),
    place="Genève",
    subject="la négociation onusienne sur la gestion de l'eau",
    actor="l'envoyée spéciale de l'ONU pour l'eau",
    stake="le partage des ressources en eau transfrontalières",
    figure="Helena Marques",
    figure_desc="envoyée spéciale de l'ONU pour l'eau",
    facts=(
        "Une conférence de l'ONU consacrée à l'eau s'est ouverte à Genève en présence de "
        "délégations venues de plus de cent quarante pays.",
        "Les pays du pourtour méditerranéen, dont l'Algérie et le Maroc, ont plaidé pour un "
        "mécanisme de financement dédié au dessalement.",
        "Le rapport présenté en ouverture estime que la demande mondiale en eau pourrait dépasser "
        "l'offre disponible de près de 40 % d'ici 2030.",
        "La délégation marocaine a présenté son programme de stations de dessalement et de "
        "transferts entre bassins.",
    ),
    quotes=(
        Quote(
            "L'eau ne peut plus être traitée comme une question technique, c'est une question "
            "de paix.",
            "une diplomate sud-américaine",
        ),
        Quote(
            "Nous avons les technologies ; il nous manque la volonté collective.",
            "un ingénieur hydrologue marocain",
        ),
    ),
    scenes=(
        "La salle des Assemblées du Palais des Nations, à Genève",
        "Une station de dessalement sur la côte méditerranéenne",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "À Genève, l'ONU convoque le monde autour de l'eau",
            "Cent quarante délégations cherchent un terrain d'entente sur le financement des "
            "infrastructures hydrauliques.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Eau : la diplomatie de la pénurie",
            "La raréfaction de la ressource redessine les alliances, en Méditerranée comme "
            "ailleurs.",
        ),
        Piece(
            Genre.BRIEF,
            "Dessalement : le Maroc présente son programme à l'ONU",
            "La délégation marocaine a détaillé ses stations en service et en projet.",
        ),
    ),
    first_day=7,
    last_day=5,
)


WORLD_STORIES: tuple[Story, ...] = (LIBYA_NATO, WATER_UN)
