"""``{% govuk_field %}`` and ``{% govuk_error_summary %}``: one way to render a form.

A bound field is rendered by its widget's component template
(``govuk/components/<component>.html``) with its label, hint and first error; the first
input of every component has the field's id, so the error summary's links land on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.loader import render_to_string

register = template.Library()


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool


@dataclass
class Group:
    label: str | None
    options: list[Option]


def _selected(value) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def _groups(bound) -> list[Group]:
    """The widget's choices as groups of options (one unnamed group when not grouped)."""
    selected = _selected(bound.value())
    groups: list[Group] = []
    index = 0
    for value, label in bound.field.widget.choices:
        items = label if isinstance(label, list | tuple) else [(value, label)]
        group = Group(label=value if isinstance(label, list | tuple) else None, options=[])
        for item_value, item_label in items:
            index += 1
            suffix = "" if index == 1 else f"-{index}"
            group.options.append(
                Option(
                    str(item_value),
                    str(item_label),
                    f"{bound.auto_id}{suffix}",
                    str(item_value) in selected,
                )
            )
        if groups and group.label is None and groups[-1].label is None:
            groups[-1].options.extend(group.options)
        else:
            groups.append(group)
    return groups


def field_id(bound) -> str:
    """The id of the field's first input: where its error summary link goes."""
    return bound.auto_id


@register.simple_tag
def govuk_field(bound, **options) -> str:
    """Render ``bound`` as its GOV.UK component; options (``label_size``...) go to the template."""
    widget = bound.field.widget
    component = getattr(widget, "component", "input")
    context = {
        "field": bound,
        "id": field_id(bound),
        "name": bound.html_name,
        "label": bound.label,
        "hint": bound.help_text,
        "error": bound.errors[0] if bound.errors else None,
        "widget": widget,
        "attrs": widget.attrs,
        **options,
    }
    if component in ("radios", "checkboxes", "select"):
        context["groups"] = _groups(bound)
    if component == "date":
        value = bound.value() or [None, None, None]
        if not isinstance(value, list | tuple):
            value = widget.decompress(value)
        context["parts"] = [
            {
                "id": bound.auto_id if i == 0 else f"{bound.auto_id}_{part}",
                "name": f"{bound.html_name}_{part}",
                "label": part.capitalize(),
                "value": "" if value[i] is None else value[i],
                "attrs": widget.widgets[i].attrs,
            }
            for i, part in enumerate(widget.parts)
        ]
    if component == "input":
        context["type"] = getattr(widget, "input_type", "text")
        context["value"] = bound.value() if context["type"] != "password" else None
    if component == "textarea":
        context["value"] = bound.value()
    return render_to_string(f"govuk/components/{component}.html", context)


@register.simple_tag
def govuk_error_summary(form) -> str:
    """The GOV.UK error summary of a bound form, or nothing when it has no errors."""
    if not form.is_bound or not form.errors:
        return ""
    items = [{"text": e, "href": None} for e in form.non_field_errors()]
    first = next(iter(form), None)
    for item in items:
        item["href"] = f"#{field_id(first)}" if first is not None else None
    for bound in form:
        if bound.errors:
            items.append({"text": bound.errors[0], "href": f"#{field_id(bound)}"})
    return render_to_string("govuk/components/error_summary.html", {"items": items})
