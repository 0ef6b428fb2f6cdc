"""The daily editorial: one a day for the fortnight, each on a story the paper follows."""

from __future__ import annotations

from gqlnews.demo.specs import EditorialSpec

EDITORIALS: tuple[EditorialSpec, ...] = (
    EditorialSpec(
        13,
        "Le code électoral, une chance à ne pas gâcher",
        "La réforme peut ramener les jeunes vers les urnes, à condition de ne pas "
        "la réduire à un exercice technique.",
        "code-electoral",
    ),
    EditorialSpec(
        12,
        "La sécheresse n'est plus une exception",
        "Trois années sans pluie imposent de repenser notre modèle agricole, et vite.",
        "secheresse",
    ),
    EditorialSpec(
        11,
        "Budget 2027 : la responsabilité, vraiment ?",
        "Le gouvernement revendique la prudence ; il lui reste à le démontrer.",
        "loi-de-finances",
    ),
    EditorialSpec(
        10,
        "Le Sahel ne se sauvera pas par les armes seules",
        "La sécurité des populations passe aussi par l'école, la justice et l'emploi.",
        "sahel",
    ),
    EditorialSpec(
        9,
        "L'Afrique doit se nourrir elle-même",
        "Le plan adopté à Addis-Abeba est une bonne nouvelle, s'il est financé.",
        "ua-alimentation",
    ),
    EditorialSpec(
        8,
        "Étudiants : la mobilité dans les deux sens",
        "L'accord universitaire avec la France doit profiter aussi à nos laboratoires.",
        "universites",
    ),
    EditorialSpec(
        7,
        "L'eau, grande affaire du siècle",
        "La conférence de Genève rappelle que la rareté de l'eau est devenue une question de paix.",
        "onu-eau",
    ),
    EditorialSpec(
        6,
        "Une médina vivante plutôt qu'un musée",
        "Restaurer les pierres ne suffit pas : il faut aussi garder les habitants.",
        "medina-fes",
    ),
    EditorialSpec(
        5,
        "Marrakech, vitrine et miroir",
        "Le festival dit beaucoup de la place que nous faisons au cinéma, et à nous-mêmes.",
        "festival-marrakech",
    ),
    EditorialSpec(
        4,
        "L'école publique, priorité des priorités",
        "Les premiers résultats des écoles pionnières méritent mieux qu'un satisfecit.",
        "ecole",
    ),
    EditorialSpec(
        3,
        "Bruxelles et nous : sortir des malentendus",
        "La négociation agricole ne doit pas éclipser le reste du partenariat.",
        "accord-agricole",
    ),
    EditorialSpec(
        2,
        "Santé : la couverture ne suffit pas",
        "Une carte d'assuré ne remplace ni un médecin ni un hôpital.",
        "sante",
    ),
    EditorialSpec(
        1,
        "L'hydrogène vert, promesse à tenir",
        "Le soleil ne suffira pas : il faudra des réseaux, des techniciens et de la constance.",
        "hydrogene-vert",
    ),
    EditorialSpec(
        0,
        "Méditerranée : le temps des partenaires",
        "Le dialogue renoué entre la Libye et l'OTAN est une bonne nouvelle pour toute la région.",
        "libye-otan",
    ),
)
