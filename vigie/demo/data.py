"""Fictional demo content. Every name and organisation here is invented.

Proportions follow what the seed reports describe (Collective 2022, ECPAT 2007): sexual
exploitation mostly of French girls, forced criminality mostly of unaccompanied North African
boys dependent on psychotropic drugs (§I), forced begging of Roma children, domestic servitude
and labour exploitation of West African girls and boys, online exploitation, babies of victims
(§IX.1), young adults 18-21 losing support at majority.
"""

from dataclasses import dataclass

# Printed by `make run` on purpose; demo data is refused outside development settings.
DEMO_PASSWORD = "Démonstration fictive 2026"  # noqa: S105  # nosec B105


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    kind: str
    departements: tuple[str, ...]
    holds_cases: bool = True


ORGANISATIONS = (
    DemoOrganisation("horizon", "Association Horizon Enfance (démo)", "association", ("75", "93")),
    DemoOrganisation("passerelle", "Association Passerelle Jeunes (démo)", "association", ("13",)),
    DemoOrganisation("ase93", "ASE Seine-Saint-Denis (démo)", "ase", ("93",)),
    DemoOrganisation("ase13", "ASE Bouches-du-Rhône (démo)", "ase", ("13",)),
    DemoOrganisation("pjj75", "PJJ Direction territoriale de Paris (démo)", "pjj", ("75",)),
    DemoOrganisation("uaped", "UAPED Hôpital du Nord (démo)", "uaped", ("93",)),
    DemoOrganisation("siao75", "SIAO de Paris (démo)", "siao", ("75",)),
)


@dataclass(frozen=True)
class DemoUser:
    org_key: str | None
    local_part: str
    full_name: str
    role: str

    @property
    def email(self) -> str:
        domain = f"{self.org_key}.demo.invalid" if self.org_key else "plateforme.demo.invalid"
        return f"{self.local_part}@{domain}"


USERS = (
    DemoUser("horizon", "intervenante", "Claire Martin (démo)", "caseworker"),
    DemoUser("horizon", "coordination", "Yacine Benali (démo)", "coordinator"),
    DemoUser("horizon", "admin", "Sophie Laurent (démo)", "org_admin"),
    DemoUser("horizon", "plaidoyer", "Marc Dubois (démo)", "analyst"),
    DemoUser("passerelle", "intervenant", "Karim Haddad (démo)", "caseworker"),
    DemoUser("passerelle", "coordination", "Julie Moreau (démo)", "coordinator"),
    DemoUser("ase93", "referente", "Nadia Ferhat (démo)", "caseworker"),
    DemoUser("ase93", "cadre", "Pierre Lefèvre (démo)", "coordinator"),
    DemoUser("ase13", "referent", "Thomas Garcia (démo)", "caseworker"),
    DemoUser("pjj75", "educatrice", "Aïcha Traoré (démo)", "caseworker"),
    DemoUser("uaped", "pediatre", "Hélène Roux (démo)", "caseworker"),
    DemoUser("siao75", "coordination", "Léa Bernard (démo)", "coordinator"),
    DemoUser(None, "exploitation", "Admin Plateforme (démo)", "platform_admin"),
)

# (form, weight, share of girls, share unaccompanied, nationalities with weights)
EXPLOITATION_PROFILES = (
    (
        "sexual_exploitation",
        34,
        0.85,
        0.15,
        (("FR", 70), ("NG", 10), ("RO", 5), ("CM", 3), ("BR", 2), ("MA", 3), ("CI", 4), ("UA", 3)),
    ),
    (
        "forced_criminality",
        24,
        0.12,
        0.80,
        (("MA", 40), ("DZ", 30), ("TN", 10), ("FR", 8), ("RO", 5), ("BA", 4), ("AF", 3)),
    ),
    (
        "online_sexual_exploitation",
        10,
        0.75,
        0.05,
        (("FR", 88), ("BE", 3), ("MA", 3), ("UA", 3), ("CN", 3)),
    ),
    ("forced_begging", 10, 0.50, 0.20, (("RO", 55), ("BG", 20), ("BA", 10), ("AF", 5), ("MA", 10))),
    (
        "forced_labour",
        9,
        0.35,
        0.70,
        (("CI", 20), ("GN", 20), ("ML", 20), ("BD", 10), ("AF", 10), ("VN", 10), ("CN", 10)),
    ),
    (
        "domestic_servitude",
        7,
        0.80,
        0.40,
        (("CI", 30), ("CM", 15), ("MA", 15), ("NG", 10), ("PH", 10), ("MG", 10), ("FR", 10)),
    ),
    (
        "forced_marriage",
        4,
        0.95,
        0.10,
        (("FR", 40), ("RO", 20), ("TR", 10), ("PK", 10), ("ML", 10), ("AF", 10)),
    ),
    ("sale_of_child", 2, 0.50, 0.05, (("NG", 40), ("FR", 30), ("RO", 20), ("CI", 10))),
)

# Age at identification (0-21): babies of victims, children, the bulk of adolescents, young adults.
AGE_WEIGHTS = (
    (0, 2),
    (1, 1),
    (2, 1),
    (3, 1),
    (4, 1),
    (5, 1),
    (6, 1),
    (7, 1),
    (8, 1),
    (9, 2),
    (10, 2),
    (11, 3),
    (12, 5),
    (13, 8),
    (14, 11),
    (15, 14),
    (16, 17),
    (17, 16),
    (18, 6),
    (19, 4),
    (20, 3),
    (21, 2),
)

CARE_STATUSES = (("ase", 45), ("pjj", 15), ("both", 10), ("none", 30))
REFERRAL_SOURCES = (
    ("outreach", 25),
    ("police", 15),
    ("justice", 15),
    ("ase", 15),
    ("health", 8),
    ("school", 7),
    ("self", 5),
    ("association", 8),
    ("other", 2),
)

FIRST_NAMES_GIRLS = (
    "Léa",
    "Inès",
    "Manon",
    "Chloé",
    "Emma",
    "Aminata",
    "Fatou",
    "Mariam",
    "Blessing",
    "Joy",
    "Ioana",
    "Elena",
    "Maria",
    "Yasmine",
    "Salma",
    "Awa",
    "Kadiatou",
    "Sofia",
    "Océane",
    "Jade",
    "Nour",
    "Precious",
    "Andreea",
    "Lina",
    "Aïssata",
    "Camille",
    "Zoé",
    "Anaïs",
    "Mélissa",
    "Sarah",
)
FIRST_NAMES_BOYS = (
    "Youssef",
    "Mohamed",
    "Amine",
    "Bilal",
    "Hamza",
    "Ilyes",
    "Walid",
    "Mehdi",
    "Anis",
    "Rayan",
    "Lucas",
    "Nathan",
    "Enzo",
    "Mamadou",
    "Moussa",
    "Ibrahima",
    "Adrian",
    "Florin",
    "Ionut",
    "Ahmad",
    "Omar",
    "Samir",
    "Karim",
    "Théo",
    "Hugo",
    "Sekou",
    "Oumar",
    "Van",
    "Wei",
    "Luca",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Durand",
    "Petit",
    "Moreau",
    "Diallo",
    "Traoré",
    "Koné",
    "Camara",
    "Touré",
    "Benali",
    "El Amrani",
    "Haddad",
    "Bouzid",
    "Mansouri",
    "Popescu",
    "Ionescu",
    "Stoica",
    "Dumitru",
    "Okafor",
    "Eze",
    "Nwosu",
    "Nguyen",
    "Chen",
    "Rahimi",
    "Kaya",
    "Silva",
    "Dupont",
    "Lefèvre",
    "Garnier",
    "Rossi",
    "Ivanova",
    "Bakayoko",
    "Sissoko",
    "Fofana",
    "Keita",
    "Mendy",
    "Barry",
    "Sow",
    "Cissé",
)
ALIASES = (
    "la petite",
    "Nina",
    "Bébé",
    "Chérie",
    "Le Marocain",
    "Petit frère",
    "Princesse",
    "Kiki",
    "Sam",
    "Lulu",
)

NOTE_TEXTS = (
    "Premier entretien en présence d’une interprète. Fatigue, demande un hébergement sûr.",
    "Rencontré lors de la maraude de nuit. Dit dépendre d'un « grand frère » pour dormir.",
    "Rendez-vous au centre de santé pris pour bilan et sevrage accompagné (Lyrica).",
    "Audition prévue à l'UAPED ; tiers de confiance proposé. Enregistrement audiovisuel accepté.",
    "Demande d'administrateur ad hoc transmise au parquet des mineurs.",
    "Inscription au dispositif de scolarisation en cours ; test de niveau la semaine prochaine.",
)
