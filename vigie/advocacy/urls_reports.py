from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("", views.ReportListView.as_view(), name="reports"),
    path("nouveau/", views.ReportCreateView.as_view(), name="report_create"),
    path("<uuid:report_uuid>/", views.ReportView.as_view(), name="report"),
    path("<uuid:report_uuid>/section/", views.SectionAddView.as_view(), name="section_add"),
    path("sections/<uuid:section_uuid>/", views.SectionEditView.as_view(), name="section_edit"),
    path("sections/<uuid:section_uuid>/chiffre/", views.FigureAddView.as_view(), name="figure_add"),
    path("<uuid:report_uuid>/rapport.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path("<uuid:report_uuid>/rapport.docx", views.ReportDocxView.as_view(), name="report_docx"),
    path(
        "<uuid:report_uuid>/rapport.md", views.ReportMarkdownView.as_view(), name="report_markdown"
    ),
]
