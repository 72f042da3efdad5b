from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .models import PeriodicRun, Worker
from .queue import RetryScheduled

RETRIED = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"


class OutcomeFilter(admin.SimpleListFilter):
    """Failed for good (what needs someone) apart from attempts that failed and were tried again."""

    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [
            ("failed", _("Failed for good")),
            ("retried", _("Failed, tried again")),
            ("waiting", _("Waiting")),
            ("running", _("Running")),
            ("done", _("Done")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "failed":
                return queryset.failed().exclude(exception_class_path=RETRIED)
            case "retried":
                return queryset.failed().filter(exception_class_path=RETRIED)
            case "waiting":
                return queryset.filter(status="READY")
            case "running":
                return queryset.running()
            case "done":
                return queryset.successful()
        return queryset


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobResultAdmin(DBTaskResultAdmin):
    """Every job and how it went, with the error of each failed attempt; read-only."""

    list_display = ["task_name", "status", "error", "enqueued_at", "run_after_or_now", "finished_at", "attempts"]
    list_filter = [OutcomeFilter, "status", "queue_name"]
    search_fields = ["task_path", "exception_class_path"]

    @admin.display(description=_("error"))
    def error(self, obj):
        lines = obj.traceback.strip().splitlines()
        return lines[-1][:200] if lines else ""

    @admin.display(description=_("run after"))
    def run_after_or_now(self, obj):
        return self.display_run_after(obj)

    @admin.display(description=_("attempt"))
    def attempts(self, obj):
        return obj.args_kwargs.get("kwargs", {}).get("attempt", 1)


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["name", "enqueued_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
