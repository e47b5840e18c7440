"""Load the demo municipality; each app that has a ``demo.load(stdout=None)`` adds its part."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Загружает демо-данные (Ханкайский муниципальный округ); повтор не создаёт копий."

    def handle(self, *args, **options):
        # Apps in INSTALLED_APPS order: participants first, then the apps that build on it.
        for app_config in apps.get_app_configs():
            if module_has_submodule(app_config.module, "demo"):
                module = import_module(f"{app_config.name}.demo")
                if hasattr(module, "load"):
                    module.load(stdout=self.stdout)
