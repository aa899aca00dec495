from modeltranslation.translator import TranslationOptions, register

from .models import Sector, Technology, UseCase, UseCaseImage


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(Technology)
class TechnologyTranslation(TranslationOptions):
    fields = ("name",)


@register(UseCase)
class UseCaseTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "results")


@register(UseCaseImage)
class UseCaseImageTranslation(TranslationOptions):
    fields = ("alt_text",)
