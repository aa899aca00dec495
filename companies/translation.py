from modeltranslation.translator import TranslationOptions, register

from .models import Company


@register(Company)
class CompanyTranslation(TranslationOptions):
    fields = ("description",)
