"""The rights plan's page: one right's update, posted from the case page. Thin: scoping and
audit come from the cases selectors, the rules from services.right_item_update."""

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from vigie.accounts.roles import Permission
from vigie.cases.models import Case
from vigie.cases.selectors import case_get_for_user
from vigie.core.views import ProtectedView

from . import services
from .catalogue import load_catalogue
from .forms import RightItemForm
from .models import RightItem
from .selectors import RightRow


class RightItemUpdateView(ProtectedView):
    permission = Permission.CASE_EDIT

    def _load(self, case_uuid: uuid.UUID, right_uuid: uuid.UUID) -> tuple[Case, RightItem]:
        # Scope first (404 outside the owning organisation), then the item through its case.
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        item = RightItem.objects.filter(case=case, uuid=right_uuid).first()
        if item is None:
            raise Http404
        return case, item

    def _render(
        self, request: HttpRequest, case: Case, item: RightItem, form: RightItemForm, status: int
    ) -> HttpResponse:
        row = RightRow(
            item=item,
            right=load_catalogue().rights.get(item.right_id),
            today=timezone.localdate(),
        )
        return render(
            request,
            "rights/right_update.html",
            {"case": case, "row": row, "form": form},
            status=status,
        )

    def get(
        self, request: HttpRequest, case_uuid: uuid.UUID, right_uuid: uuid.UUID
    ) -> HttpResponse:
        case, item = self._load(case_uuid, right_uuid)
        form = RightItemForm(initial={"state": item.state}, auto_id=RightItemForm.auto_id_for(item))
        return self._render(request, case, item, form, 200)

    def post(
        self, request: HttpRequest, case_uuid: uuid.UUID, right_uuid: uuid.UUID
    ) -> HttpResponse:
        case, item = self._load(case_uuid, right_uuid)
        form = RightItemForm(request.POST, auto_id=RightItemForm.auto_id_for(item))
        if form.is_valid():
            try:
                services.right_item_update(
                    actor=self.actor, case=case, item=item, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(case.get_absolute_url() + "#rights")
        item.refresh_from_db()
        return self._render(request, case, item, form, 422)
