"""schema.org JobPosting data, so that job search engines can index the postings.

See https://schema.org/JobPosting. The JSON goes inside a <script type="application/ld+json">; the
characters that could close the element or open a comment are escaped as JSON unicode escapes, which
is what json_script does (json_script cannot set the ld+json type).
"""

import datetime as dt
import json

from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from tescforce import translated

from .models import JobPosting

EMPLOYMENT_TYPES = {
    JobPosting.Contract.CDI: "FULL_TIME",
    JobPosting.Contract.CDD: "TEMPORARY",
    JobPosting.Contract.APPRENTICESHIP: "OTHER",
    JobPosting.Contract.INTERNSHIP: "INTERN",
    JobPosting.Contract.FREELANCE: "CONTRACTOR",
}

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def dumps_for_script(data) -> SafeString:
    """Return JSON that is safe to place inside a <script> element."""
    return mark_safe(json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_ESCAPES))  # noqa: S308


def job_posting_data(posting: JobPosting, request) -> dict:
    company = posting.company
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        # The texts the page shows (the English page's own when the company wrote them).
        "title": translated.text(posting, "title"),
        "description": str(linebreaks(translated.text(posting, "description"), autoescape=True)),
        "url": request.build_absolute_uri(posting.get_absolute_url()),
        "identifier": {"@type": "PropertyValue", "name": company.name, "value": posting.slug},
        "employmentType": EMPLOYMENT_TYPES.get(posting.contract, "OTHER"),
        "occupationalCategory": f"{posting.job_family.code} {translated.text(posting.job_family, 'label')}",
        "hiringOrganization": {"@type": "Organization", "name": company.name,
                               "url": request.build_absolute_uri(company.get_absolute_url())},
        "jobLocation": {"@type": "Place", "address": {
            "@type": "PostalAddress", "addressLocality": posting.city, "addressRegion": "Occitanie",
            "addressCountry": "FR", **({"postalCode": posting.postcode} if posting.postcode else {})}},
        "directApply": False,
    }
    street = _street_address(posting)
    if street:
        data["jobLocation"]["address"]["streetAddress"] = street
    if company.website:
        data["hiringOrganization"]["sameAs"] = company.website
    if company.logo:
        data["hiringOrganization"]["logo"] = request.build_absolute_uri(company.logo.url)
    if posting.published_at:
        data["datePosted"] = timezone.localtime(posting.published_at).date().isoformat()
    if posting.closes_on:
        end = dt.datetime.combine(posting.closes_on, dt.time(23, 59), tzinfo=timezone.get_current_timezone())
        data["validThrough"] = end.isoformat()
    if posting.start_date:
        data["jobStartDate"] = posting.start_date.isoformat()
    if posting.remote == JobPosting.Remote.FULL:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "FR"}
    if posting.salary_min is not None or posting.salary_max is not None:
        value = {"@type": "QuantitativeValue", "unitText": "YEAR"}
        if posting.salary_min is not None:
            value["minValue"] = posting.salary_min
        if posting.salary_max is not None:
            value["maxValue"] = posting.salary_max
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "EUR", "value": value}
    skills = [s.name for s in posting.skills_required.all()] + [s.name for s in posting.skills_nice.all()]
    if skills:
        data["skills"] = ", ".join(skills)
    return data


def _street_address(posting: JobPosting) -> str:
    """Return the address of the company's site in the posting's town, when the company gave one."""
    site = (posting.company.sites.exclude(address="").filter(city__iexact=posting.city)
            .order_by("-is_headquarters", "pk").first())
    return site.address if site else ""


def job_posting_json_ld(posting: JobPosting, request) -> SafeString:
    return dumps_for_script(job_posting_data(posting, request))
