"""The outputs of a payroll run, for any page that shows the run: ``{% load payroll_outputs %}
{% run_outputs run %}`` renders ``payroll/includes/run_outputs.html`` (the downloads and bulk
payslips the signed-in user may have; nothing for anyone who may not export the run)."""

from django import template

from payroll.views.outputs import run_outputs_context

register = template.Library()


@register.inclusion_tag("payroll/includes/run_outputs.html", takes_context=True)
def run_outputs(context, run):
    return {
        "outputs": run_outputs_context(context["request"].user, run),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
