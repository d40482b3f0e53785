from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        # The workflows' parts of the registry's pages (channels.hooks): channels knows none of
        # them, so they are named here, in the order they appear.
        from approvals import audit, emails
        from approvals.campaigns import audit as campaign_audit
        from approvals.overview import signals as overview_signals
        from approvals.overview.selectors import channel_workflow_facts
        from channels import hooks

        audit.register()
        campaign_audit.register()
        overview_signals.connect()

        hooks.add_template("channel_actions", "approvals/_signoff_resend.html")
        hooks.add_template("channel_sections", "approvals/_handovers.html", order=10)
        hooks.add_template("channel_sections", "approvals/_closures.html", order=20)
        hooks.add_template("channel_sections", "approvals/_moderation_section.html", order=30)
        hooks.add_template("channel_sections", "approvals/_policy_publication.html", order=25)
        hooks.add_template("channel_sections", "approvals/_campaigns.html", order=30)
        hooks.add_template("channel_sections", "approvals/_adorders.html", order=40)
        hooks.add_template("channel_decisions", "approvals/_decisions.html")
        hooks.add_template("owner_page_top", "approvals/_handovers_waiting.html")
        hooks.add_owner_page_prefetch("handovers__new_responsible", "closures")
        hooks.add_channel_facts(channel_workflow_facts)
        hooks.add_template("wizard_submit", "approvals/_submit_form.html")
        hooks.add_template("wizard_step", "approvals/_moderation_wizard.html")
        hooks.add_template("evaluation_top", "approvals/_moderation_evaluation.html")
        hooks.on_person_named(emails.person_named)
        hooks.add_template("verify_unknown", "approvals/reports/_verify_unknown.html")
