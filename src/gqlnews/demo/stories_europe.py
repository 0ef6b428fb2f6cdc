"""Stories of the Europe page (Monde desk) and the Brussels correspondent."""

from __future__ import annotations

from gqlnews.demo.specs import Piece, Quote, Story
from gqlnews.models import Genre

FARM_DEAL = Story(
    key="accord-agricole",
    section="europe",
    tags=("union-europeenne", "maroc", "agriculture", "diplomatie"),
    authors=("mehdi-lazrak",),
    place="Bruxelles",
    subject="le renouvellement de l'accord agricole entre le Maroc et l'Union européenne",
    actor="le commissaire européen au Commerce",
    stake="l'accès des producteurs marocains au marché européen",
    figure="Lucie Verhaegen",
    figure_desc="négociatrice en chef de la Commission européenne",
    facts=(
        "Les négociateurs marocains et européens ont achevé à Bruxelles un nouveau cycle de "
        "discussions sur le volet agricole de leur accord d'association.",
        "Les contingents de tomates et d'agrumes restent au cœur des échanges, tout comme les "
        "règles d'origine.",
        "Plusieurs organisations agricoles espagnoles et françaises ont manifesté devant le "
        "siège de la Commission pour réclamer des clauses de sauvegarde.",
        "Côté marocain, les exportateurs mettent en avant les investissements réalisés dans la "
        "traçabilité et la certification.",
        "Un accord de principe est espéré au premier trimestre, selon une source proche des "
        "négociations.",
    ),
    quotes=(
        Quote(
            "Nous ne demandons pas de faveur, nous demandons des règles stables.",
            "un exportateur d'agrumes du Souss",
        ),
        Quote(
            "Chacun sait que l'accord se fera ; tout l'enjeu est d'en fixer les équilibres.",
            "un fonctionnaire européen",
        ),
    ),
    scenes=(
        "Le siège de la Commission européenne, à Bruxelles",
        "Une station de conditionnement de tomates près d'Agadir",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Accord agricole : nouveau round de négociations à Bruxelles",
            "Marocains et Européens ont repris leurs discussions sur les contingents de fruits "
            "et légumes.",
        ),
        Piece(
            Genre.REPORT,
            "Dans le Souss, les exportateurs suspendus aux négociations",
            "Dans les stations de conditionnement, on suit chaque déclaration bruxelloise avec "
            "une attention inquiète.",
            dateline="Agadir",
        ),
        Piece(
            Genre.ANALYSIS,
            "Maroc-UE : ce que cache la bataille de la tomate",
            "Derrière les quotas, c'est toute la relation commerciale entre les deux rives qui "
            "se renégocie.",
        ),
        Piece(
            Genre.OPINION,
            "Pour un partenariat agricole adulte",
            "Le partenariat avec l'Europe doit sortir de la logique du contingent, plaide notre "
            "chroniqueur.",
            section="chroniques",
        ),
    ),
    first_day=12,
    last_day=4,
)


UNIVERSITIES = Story(
    key="universites",
    section="europe",
    tags=("france", "maroc", "education", "diplomatie"),
    authors=("samira-lahlou",),
    place="Paris",
    subject="la coopération universitaire entre le Maroc et la France",
    actor="la ministre de l'Enseignement supérieur",
    stake="la mobilité des étudiants",
    figure="Farid Lamrani",
    figure_desc="président de la conférence des présidents d'université",
    facts=(
        "Les deux pays ont signé à Paris une déclaration d'intention portant sur la création de "
        "doubles diplômes dans une vingtaine de filières.",
        "Plus de quarante mille étudiants marocains sont inscrits dans l'enseignement supérieur "
        "français, l'une des premières communautés étrangères.",
        "Les délais d'obtention des visas étudiants restent un point de friction régulièrement "
        "soulevé par les familles.",
        "Le programme prévoit aussi l'accueil de chercheurs français dans des laboratoires "
        "marocains, notamment à Rabat et à Fès.",
    ),
    quotes=(
        Quote(
            "La mobilité doit aller dans les deux sens, sinon ce n'est pas une coopération.",
            "un doyen de faculté à Rabat",
        ),
        Quote(
            "Nos étudiants ne demandent qu'une chose : de la visibilité sur les délais.",
            "une représentante d'une association d'étudiants",
        ),
    ),
    scenes=(
        "Des étudiants dans la bibliothèque d'une université parisienne",
        "La signature de la déclaration d'intention, à Paris",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Maroc-France : accord sur des doubles diplômes universitaires",
            "Une vingtaine de filières sont concernées dès la rentrée prochaine.",
        ),
        Piece(
            Genre.REPORT,
            "À Paris, les étudiants marocains entre ambitions et démarches",
            "Logement, visas, petits boulots : le quotidien d'une communauté qui compte plus "
            "de quarante mille membres.",
        ),
        Piece(
            Genre.BRIEF,
            "Visas étudiants : les délais en débat",
            "Les familles réclament un calendrier clair pour les demandes de la rentrée.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Farid Lamrani : « La mobilité doit aller dans les deux sens »",
            "Le président de la conférence des présidents d'université détaille l'accord signé "
            "à Paris.",
        ),
    ),
    first_day=8,
    last_day=2,
)


MIGRATIONS = Story(
    key="migrations",
    section="europe",
    tags=("migrations", "union-europeenne", "libye", "algerie"),
    authors=("mehdi-lazrak", "nadir-belkacem"),
    place="Bruxelles",
    subject="le pacte européen sur la migration et l'asile",
    actor="la commissaire européenne aux Affaires intérieures",
    stake="la protection des migrants en Méditerranée",
    figure="Ilse Van Damme",
    figure_desc="commissaire européenne aux Affaires intérieures",
    facts=(
        "Les ministres de l'Intérieur des Vingt-Sept ont adopté les derniers textes "
        "d'application du pacte sur la migration et l'asile.",
        "Le texte prévoit des procédures accélérées aux frontières extérieures de l'Union et un "
        "mécanisme de solidarité entre États membres.",
        "Les pays d'Afrique du Nord, dont la Libye et l'Algérie, redoutent de devenir des zones "
        "de tri pour des migrants refoulés d'Europe.",
        "Les organisations de défense des droits humains dénoncent un texte qui privilégie le "
        "contrôle au détriment de l'accueil.",
    ),
    quotes=(
        Quote(
            "On ne gère pas des vies humaines avec des tableaux de quotas.",
            "une responsable d'une organisation de sauvetage en mer",
        ),
        Quote(
            "L'Europe externalise ses frontières et s'étonne ensuite de ses voisins.",
            "un chercheur spécialiste des migrations",
        ),
    ),
    scenes=(
        "Un navire de sauvetage au large des côtes libyennes",
        "Les ministres de l'Intérieur réunis à Bruxelles",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Migrations : l'Union européenne boucle son pacte",
            "Les derniers textes d'application ont été adoptés, après des années de négociations.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Pacte migratoire : l'Afrique du Nord en première ligne",
            "Les voisins méridionaux de l'Union craignent d'hériter des conséquences d'un "
            "texte qu'ils n'ont pas négocié.",
        ),
        Piece(
            Genre.REPORT,
            "En mer, au large de la Libye, les sauveteurs inquiets",
            "À bord d'un navire humanitaire, les équipages redoutent que les nouvelles règles "
            "ne compliquent leur mission.",
            dateline="Lampedusa",
        ),
        Piece(
            Genre.BRIEF,
            "Asile : les ONG dénoncent des procédures accélérées",
            "Plusieurs organisations annoncent des recours devant la justice européenne.",
        ),
    ),
    first_day=13,
    last_day=7,
)


EUROPE_STORIES: tuple[Story, ...] = (FARM_DEAL, UNIVERSITIES, MIGRATIONS)
