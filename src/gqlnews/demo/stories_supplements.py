"""The articles of the three special supplements (each supplement is one story)."""

from __future__ import annotations

from gqlnews.demo.specs import Piece, Quote, Story
from gqlnews.models import Genre

ECONOMY_2027 = Story(
    key="special-economie-2027",
    section="economie",
    tags=("budget", "inflation", "energie", "fmi"),
    authors=("hind-sqalli",),
    place="Casablanca",
    subject="la conjoncture économique de 2027",
    actor="le président de la confédération patronale",
    stake="la création d'emplois qualifiés",
    figure="Nabil Cherkaoui",
    figure_desc="économiste en chef d'une grande banque casablancaise",
    facts=(
        "Les économistes interrogés pour ce supplément anticipent une croissance comprise entre "
        "3,5 % et 4,2 % en 2027.",
        "L'investissement public devrait rester le principal moteur de l'activité, porté par les "
        "grands chantiers d'infrastructures.",
        "Le chômage des jeunes diplômés demeure la principale fragilité du marché du travail.",
        "Les secteurs automobile, aéronautique et agroalimentaire concentrent l'essentiel des "
        "nouveaux projets industriels.",
    ),
    quotes=(
        Quote("La croissance sans emplois ne convaincra personne.", "un économiste en chef"),
        Quote(
            "Nos carnets de commandes sont pleins, nos difficultés de recrutement aussi.",
            "un industriel de Kénitra",
        ),
    ),
    scenes=(
        "Une chaîne d'assemblage automobile près de Kénitra",
        "Le quartier d'affaires de Casablanca au crépuscule",
    ),
    pieces=(
        Piece(
            Genre.ANALYSIS,
            "Économie 2027 : le temps des grands chantiers",
            "Ports, barrages, stades, lignes ferroviaires : l'investissement public reste le "
            "moteur de la croissance.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Nabil Cherkaoui : « La croissance sans emplois ne convaincra personne »",
            "L'économiste en chef d'une grande banque casablancaise livre son diagnostic.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Dix indicateurs pour comprendre l'année 2027",
            "Inflation, emploi, crédit, exportations : notre tableau de bord pour l'année qui "
            "vient.",
        ),
        Piece(
            Genre.REPORT,
            "À Kénitra, l'industrie automobile recrute à tour de bras",
            "Les usines tournent à plein régime et peinent à trouver des techniciens.",
            dateline="Kénitra",
        ),
    ),
    first_day=10,
    last_day=10,
    supplement="special-economie-2027",
)

CULTURAL_SEASON = Story(
    key="guide-saison-culturelle",
    section="culture",
    tags=("cinema", "livre", "patrimoine", "marrakech"),
    authors=("salma-kettani",),
    place="Rabat",
    subject="la saison culturelle d'hiver",
    actor="la directrice du théâtre national",
    stake="l'accès des jeunes publics à la culture",
    figure="Rim Benchekroun",
    figure_desc="directrice d'un festival de théâtre",
    facts=(
        "De Tanger à Dakhla, plus de soixante festivals, expositions et saisons théâtrales sont "
        "programmés d'ici le printemps.",
        "Les musées nationaux proposent la gratuité aux moins de dix-huit ans chaque premier "
        "dimanche du mois.",
        "Plusieurs scènes régionales accueillent des créations en amazighe et en darija, une "
        "tendance qui se confirme.",
        "Le cinéma reste la sortie culturelle préférée des jeunes, devant les concerts et le "
        "théâtre.",
    ),
    quotes=(
        Quote(
            "Une saison culturelle se juge à la diversité de ses publics.",
            "une directrice de festival",
        ),
        Quote(
            "Le théâtre en darija remplit les salles, qui l'eût cru il y a dix ans ?",
            "un comédien casablancais",
        ),
    ),
    scenes=(
        "La grande salle du théâtre national, à Rabat",
        "Une exposition de photographies dans un musée de Marrakech",
    ),
    pieces=(
        Piece(
            Genre.REPORT,
            "Saison d'hiver : soixante rendez-vous à ne pas manquer",
            "Notre sélection, de Tanger à Dakhla, pour ne rien rater jusqu'au printemps.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Théâtre : les scènes régionales prennent la parole",
            "Créations en amazighe et en darija : le théâtre se réinvente loin des grandes villes.",
        ),
        Piece(
            Genre.NEWS,
            "Musées : la gratuité pour les moins de dix-huit ans",
            "Chaque premier dimanche du mois, les musées nationaux ouvrent grand leurs portes.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Rim Benchekroun : « Une saison se juge à la diversité de ses publics »",
            "La directrice de festival explique comment attirer ceux qui ne viennent jamais.",
        ),
    ),
    first_day=6,
    last_day=6,
    supplement="guide-saison-culturelle",
)

CLUB_WORLD_CUP = Story(
    key="supplement-mondial-des-clubs",
    section="sport",
    tags=("football", "caf", "casablanca"),
    authors=("hamza-berrada",),
    place="Casablanca",
    subject="la Coupe du monde des clubs",
    actor="le président de la Confédération africaine de football",
    stake="la compétitivité des clubs africains",
    figure="Anas Ouhmad",
    figure_desc="capitaine de l'Union d'Anfa",
    facts=(
        "Deux clubs africains prendront part au prochain Mondial des clubs, dont l'Union "
        "d'Anfa, qualifiée au terme d'un parcours continental remarquable.",
        "Le format de la compétition réunit trente-deux équipes venues des six confédérations.",
        "Les primes de participation représentent, pour les clubs africains, l'équivalent de "
        "plusieurs saisons de budget.",
        "Les recruteurs européens suivront de près les jeunes joueurs africains engagés dans le "
        "tournoi.",
    ),
    quotes=(
        Quote("Nous ne partons pas en touristes.", "le capitaine Anas Ouhmad"),
        Quote(
            "Pour un club africain, ce tournoi est une vitrine et une bouée financière.",
            "un agent de joueurs",
        ),
    ),
    scenes=(
        "Les joueurs de l'Union d'Anfa célèbrent leur qualification",
        "Le trophée du Mondial des clubs exposé à Casablanca",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Mondial des clubs : l'Union d'Anfa dans la cour des grands",
            "Le club casablancais affrontera des géants européens et sud-américains.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Le grand guide des trente-deux équipes",
            "Favoris, outsiders et petits poucets : notre présentation complète.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Anas Ouhmad : « Nous ne partons pas en touristes »",
            "Le capitaine de l'Union d'Anfa raconte la préparation d'un groupe qui rêve grand.",
        ),
        Piece(
            Genre.ANALYSIS,
            "L'Afrique et le Mondial des clubs, une longue attente",
            "Jamais un club africain n'a remporté l'épreuve. Les raisons d'un plafond de verre.",
        ),
    ),
    first_day=2,
    last_day=2,
    supplement="supplement-mondial-des-clubs",
)

SUPPLEMENT_STORIES: tuple[Story, ...] = (ECONOMY_2027, CULTURAL_SEASON, CLUB_WORLD_CUP)
