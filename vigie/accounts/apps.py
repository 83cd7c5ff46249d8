from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vigie.accounts"
    label = "accounts"
