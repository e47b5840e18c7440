"""Load the demo municipality; each app that has a ``demo.load(stdout=None)`` adds its part."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Загружает демо-данные (Ханкайский муниципальный округ); повтор не создаёт копий."

    def handle(self, *args, **options):
        started = timezone.now()
        # Apps in INSTALLED_APPS order: participants first, then the apps that build on it.
        modules = [import_module(f"{app_config.name}.demo")
                   for app_config in apps.get_app_configs()
                   if module_has_submodule(app_config.module, "demo")]
        for module in modules:
            if hasattr(module, "load"):
                module.load(stdout=self.stdout)
        # Then what must see everything the demo made: the outbox sets its letters aside.
        for module in modules:
            if hasattr(module, "finish"):
                module.finish(since=started, stdout=self.stdout)
