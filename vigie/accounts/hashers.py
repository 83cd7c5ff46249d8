from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with a tiny cost, for the test suite only (hashes stay verifiable by Argon2)."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1
