def only_api_endpoints(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: the schema documents /api/ only (Wagtail's admin API,
    mounted under /cms/, is internal to the CMS)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
