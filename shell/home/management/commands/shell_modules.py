from django.conf import settings
from django.core.management.base import BaseCommand

from shell.hooks import get_hooks, mounted_modules


class Command(BaseCommand):
    help = "List the modules the shell mounts (settings.SHELL_MODULES): slug, name, URLs, events."

    def handle(self, *args, **options):
        modules = mounted_modules()
        handlers = [h for fn in get_hooks("event_handlers") for h in fn()]
        kinds = [t for fn in get_hooks("notification_types") for t in fn()]
        self.stdout.write(f"SHELL_MODULES = {', '.join(settings.SHELL_MODULES)}")
        for m in modules:
            self.stdout.write(self.style.SUCCESS(f"\n{m.slug}: {m.name}"))
            self.stdout.write(f"  url prefix       /{m.url_prefix}")
            self.stdout.write(f"  api prefix       {'/api/' + m.api_prefix if m.api_prefix else '-'}")
            self.stdout.write(f"  shown with       {m.permission or 'every signed-in user'}")
            self.stdout.write(f"  publishes        {', '.join(m.events_published) or '-'}")
            self.stdout.write(f"  handles          {', '.join(m.events_handled) or '-'}")
            own = [t.kind for t in kinds if t.kind.startswith(f"{m.slug}.")]
            self.stdout.write(f"  notifications    {', '.join(own) or '-'}")
        self.stdout.write(f"\n{len(modules)} modules, {len(handlers)} event handlers.")
