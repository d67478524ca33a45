"""shell.formatting as template filters, built into every template (settings TEMPLATES "builtins"):
{{ day|short_date }}, {{ when|short_datetime }}, {{ value|number:1 }}, {{ rate|percent }}, {{ x|jp }}."""

from django import template

from shell import formatting

register = template.Library()

# expects_localtime: aware datetimes arrive in the platform's time zone, as with Django's own |date.
register.filter("short_date", formatting.short_date, expects_localtime=True)
register.filter("long_date", formatting.long_date, expects_localtime=True)
register.filter("short_datetime", formatting.short_datetime, expects_localtime=True)
register.filter("day_month", formatting.day_month, expects_localtime=True)
register.filter("precise_datetime", formatting.precise_datetime, expects_localtime=True)
register.filter("weekday_date", formatting.weekday_date, expects_localtime=True)
register.filter("percent", formatting.percent, is_safe=True)
register.filter("jp", formatting.jp, is_safe=True)


@register.filter(is_safe=True)
def number(value, decimals=None):
    return formatting.number(value, None if decimals in (None, "") else int(decimals))
