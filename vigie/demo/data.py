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

# --- The case file's situation (issue 5) ---------------------------------------------------------

# Besides the accounts above, each organisation holding files has a team of caseworkers the
# files are spread over (they sign in like the others: `vigie otp-code EMAIL`).
TEAM_SIZE = 6
TEAM_NAMES = (
    "Camille Perrin (démo)",
    "Rachid Amrani (démo)",
    "Élodie Fabre (démo)",
    "Mamadou Sylla (démo)",
    "Inès Carvalho (démo)",
    "Bastien Renaud (démo)",
    "Fatoumata Keïta (démo)",
    "Louise Marchand (démo)",
    "Nicolas Vidal (démo)",
)
UNASSIGNED_SHARE = 0.08

# Languages spoken, by nationality (French names: the demo speaks as its users do).
LANGUAGES = {
    "FR": ("français",),
    "MA": ("arabe (darija)", "français", "tamazight"),
    "DZ": ("arabe (darija)", "français", "tamazight"),
    "TN": ("arabe", "français"),
    "NG": ("anglais", "pidgin nigérian", "edo", "yoruba"),
    "RO": ("roumain", "romani"),
    "BG": ("bulgare", "romani"),
    "BA": ("bosnien", "romani"),
    "CM": ("français", "anglais"),
    "CI": ("français", "dioula"),
    "GN": ("français", "peul", "soussou"),
    "ML": ("bambara", "français", "soninké"),
    "BR": ("portugais",),
    "UA": ("ukrainien", "russe"),
    "AF": ("dari", "pachto"),
    "BD": ("bengali",),
    "VN": ("vietnamien",),
    "CN": ("mandarin", "wenzhou"),
    "BE": ("français", "néerlandais"),
    "TR": ("turc", "kurde"),
    "PK": ("ourdou", "pendjabi"),
    "PH": ("tagalog", "anglais"),
    "MG": ("malgache", "français"),
}

# Final statuses of files still followed (shares among active files).
ACTIVE_STATUS_WEIGHTS = (("open", 10), ("identified", 25), ("protected", 50), ("transition", 15))
CLOSE_REASONS = (
    ("protected_and_stable", 30),
    ("reached_adulthood_handed_over", 25),
    ("transferred_elsewhere", 15),
    ("returned_to_family", 8),
    ("support_declined", 8),
    ("lost_contact", 12),
    ("other", 2),
)

# Accommodation. Hotels stay rare but real (Collective 2022 §IV: unaccompanied minors placed in
# hotels, where networks find them again); they show as rights violations.
PLACEMENT_KINDS = (
    ("childrens_home", 32),
    ("foster_family", 24),
    ("specialised_centre", 12),
    ("emergency", 18),
    ("hotel", 6),
    ("street", 3),
)
# Unaccompanied adolescents are the ones left in hotels.
PLACEMENT_KINDS_UNACCOMPANIED = (
    ("childrens_home", 28),
    ("foster_family", 10),
    ("specialised_centre", 10),
    ("emergency", 25),
    ("hotel", 18),
    ("street", 9),
)

# Who appoints ad hoc administrators (CPP art. 706-50), by département.
APPOINTING_AUTHORITIES = {
    "75": ("Parquet des mineurs de Paris (démo)", "Juge des enfants, TJ de Paris (démo)"),
    "93": ("Parquet des mineurs de Bobigny (démo)", "Juge des enfants, TJ de Bobigny (démo)"),
    "13": ("Parquet des mineurs de Marseille (démo)", "Juge des enfants, TJ de Marseille (démo)"),
}
AD_HOC_ADMINISTRATORS = (
    "Association tutélaire Les Tilleuls (démo)",
    "Me Anne Rivière, avocate (démo)",
    "Association Enfance et Droit (démo)",
    "Me Paul Girard, avocat (démo)",
)
COURTS = {
    "75": "Tribunal judiciaire de Paris (démo)",
    "93": "Tribunal judiciaire de Bobigny (démo)",
    "13": "Tribunal judiciaire de Marseille (démo)",
}
COMPENSATION_BODIES = ("CIVI (démo)", "Tribunal correctionnel (démo)")
RECORDING_REFUSED_REASONS = (
    "Refus de la jeune personne, peur d'être reconnue.",
    "Matériel d'enregistrement indisponible au commissariat.",
)

SUBSTANCES_BY_FORM = {
    # Seed 000 §III.3: psychotropic drugs given to children exploited in forced criminality.
    "forced_criminality": (0.6, ("pregabalin", "clonazepam", "cannabis", "solvents")),
    "sexual_exploitation": (0.25, ("cannabis", "alcohol", "cocaine")),
}
