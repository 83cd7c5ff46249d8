from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "vigie.cases"
    label = "cases"
