"""The outputs of a payroll run, for any page that shows the run: ``{% load payroll_outputs %}
{% run_outputs run %}`` renders ``payroll/includes/run_outputs.html`` (the downloads and bulk
payslips the signed-in user may have; nothing for anyone who may not export the run)."""

from django import template

from payroll.views.outputs import run_outputs_context

register = template.Library()


@register.inclusion_tag("payroll/includes/run_outputs.html", takes_context=True)
def run_outputs(context, run):
    """The run's outputs box (``context`` must hold the request: any page rendered with
    ``render(request, …)`` does)."""
    request = context.get("request")
    if request is None:
        return {"outputs": {"may_export": False}}
    return {
        "outputs": run_outputs_context(request.user, run),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
