"""Due & overdue: what awaits a response past its due date, what needs follow-up, and a chart of
status by theme for a briefing (QtCharts, imported only when this screen is first shown)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMargins, QSettings, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.errors import PccError
from pcc_desk.gui.models.register_model import (
    COL_ADDRESSEE,
    COL_ASK,
    COL_ASSESSMENT,
    COL_DUE,
    COL_MADE,
    COL_REF,
    COL_STATUS,
    COL_THEME,
    RegisterTableModel,
)
from pcc_desk.gui.screens import Screen
from pcc_desk.gui.workbench import Newest, Workbench
from pcc_desk.services import calendar_export, maintenance, register
from pcc_desk.services import follow_up as follow_up_service
from pcc_desk.services.register import RecommendationFilter
from pcc_desk.vocabulary import ChangeKind, Status

if TYPE_CHECKING:  # QtCharts loads when the chart is first drawn
    from PySide6.QtCharts import QChartView

DUE_KINDS = frozenset(
    {ChangeKind.RECOMMENDATIONS, ChangeKind.RESPONSES, ChangeKind.DOCUMENTS, ChangeKind.SETTINGS}
)
CHART_COLOURS = {
    Status.AWAITING_RESPONSE: "#e0a800",
    Status.RESPONSE_RECEIVED: "#3b82f6",
    Status.FOLLOW_UP_NEEDED: "#dc2626",
    Status.CLOSED_IMPLEMENTED: "#16a34a",
    Status.CLOSED_NOT_ACCEPTED: "#6b7280",
    Status.SUPERSEDED: "#c4c4c4",
}


def load_due(desk, today: dt.date, token=None):
    """Worker-side: the overdue list, the follow-up list and the counts for the chart."""
    overdue = register.overdue(desk, today)
    if token is not None:
        token.check()
    follow_up = register.list_recommendations(
        desk, RecommendationFilter(statuses=(Status.FOLLOW_UP_NEEDED,))
    )
    counts = register.status_counts_by_theme(desk)
    updates = follow_up_service.updates_due(desk, today)
    order = {u.ref: i for i, u in enumerate(updates)}
    rows = sorted(register.summaries_for(desk, order), key=lambda r: order[r.ref])
    return overdue, follow_up, counts, rows


class DueScreen(Screen):
    open_requested = Signal(str)  # a reference to show in the register

    def __init__(
        self, bench: Workbench, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(bench, parent)
        self.today = today or dt.date.today()
        self._dirty = True
        self._reading = Newest(bench)  # a change may come in while the lists are being read
        self.counts: dict[str, dict[Status, int]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        lists = QWidget(self.splitter)
        lists_layout = QVBoxLayout(lists)
        lists_layout.setContentsMargins(0, 0, 0, 0)
        self.overdue_label = QLabel(lists)
        self.overdue_model = RegisterTableModel(self, today=self.today)
        self.overdue_table = self._table(
            lists, self.overdue_model, self.tr("Awaiting a response past the due date")
        )
        self.follow_label = QLabel(lists)
        self.follow_model = RegisterTableModel(self, today=self.today)
        self.follow_table = self._table(
            lists, self.follow_model, self.tr("Responses that need following up")
        )
        self.updates_label = QLabel(lists)
        self.updates_model = RegisterTableModel(self, today=self.today)
        self.updates_table = self._table(lists, self.updates_model, self.tr("Progress updates due"))
        for widget in (
            self.overdue_label,
            self.overdue_table,
            self.follow_label,
            self.follow_table,
            self.updates_label,
            self.updates_table,
        ):
            lists_layout.addWidget(widget)
        chart_box = QWidget(self.splitter)
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_title = QLabel(
            f"<b>{self.tr('Status of recommendations by theme')}</b>", chart_box
        )
        self.chart_holder = QVBoxLayout()
        self.chart_view: QChartView | None = None
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("E&xport chart as PNG…"), chart_box)
        self.export_button.setAccessibleName(self.tr("Export the chart as a PNG picture"))
        self.export_button.clicked.connect(self.choose_export)
        buttons.addWidget(self.export_button)
        self.calendar_button = QPushButton(self.tr("Export ca&lendar (.ics)…"), chart_box)
        self.calendar_button.setAccessibleName(
            self.tr("Export the dates to keep as a calendar file for Outlook")
        )
        self.calendar_button.clicked.connect(self.choose_calendar_export)
        buttons.addWidget(self.calendar_button)
        buttons.addStretch(1)
        chart_layout.addWidget(self.chart_title)
        chart_layout.addLayout(self.chart_holder, 1)
        chart_layout.addLayout(buttons)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 680])
        layout.addWidget(self.splitter, 1)
        self._show_counts()
        bench.changes.changed.connect(self._on_changed)

    def _table(self, parent: QWidget, model: RegisterTableModel, name: str) -> QTableView:
        table = QTableView(parent)
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        for col in (COL_THEME, COL_ADDRESSEE, COL_MADE, COL_ASSESSMENT):
            table.setColumnHidden(col, True)
        header = table.horizontalHeader()
        header.resizeSection(COL_REF, 140)
        header.resizeSection(COL_DUE, 150)
        header.resizeSection(COL_STATUS, 130)
        header.setSectionResizeMode(COL_ASK, QHeaderView.ResizeMode.Stretch)
        table.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
        table.activated.connect(
            lambda index, m=model: self.open_requested.emit(m.record(index.row()).ref)
        )
        return table

    # --- data ------------------------------------------------------------------------------------

    def activate(self) -> None:
        if self._dirty:
            self.reload()

    def reload(self) -> None:
        self._dirty = False
        desk, today = self.bench.desk, self.today
        self._reading.run(
            lambda token, _p: load_due(desk, today, token),
            self._loaded_data,
            label=self.tr("Reading what is due"),
        )

    def _loaded_data(self, result) -> None:
        overdue, follow_up, counts, updates = result
        self.updates_model.set_rows(updates)
        self.updates_label.setText(
            self.tr(
                "<b>Progress updates due</b>: %d accepted asks, not reported done, whose update "
                "is due (the cadence is in Settings)"
            )
            % len(updates)
        )
        self.overdue_model.set_rows(overdue)
        self.follow_model.set_rows(follow_up)
        self.overdue_label.setText(
            self.tr("<b>Overdue</b>: %d awaiting a response past the due date (oldest first)")
            % len(overdue)
        )
        self.follow_label.setText(
            self.tr(
                "<b>Follow-up needed</b>: %d responses the Committee judged not or partly addressed"
            )
            % len(follow_up)
        )
        self.counts = counts
        self._show_counts()
        if not self.is_loaded():
            self.mark_loaded()

    def _on_changed(self, kinds: frozenset[ChangeKind], _refs) -> None:
        if kinds & DUE_KINDS:
            self._dirty = True
            if self.isVisible():
                self.activate()

    # --- chart -----------------------------------------------------------------------------------

    def _show_counts(self) -> None:
        from PySide6.QtCharts import (
            QBarCategoryAxis,
            QBarSet,
            QChart,
            QChartView,
            QHorizontalStackedBarSeries,
            QValueAxis,
        )

        # horizontal bars are drawn bottom-up: reverse, so the first theme reads at the top
        themes = [t for t, by_status in self.counts.items() if sum(by_status.values())][::-1]
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        legend_font = chart.legend().font()
        legend_font.setPointSizeF(max(7.0, legend_font.pointSizeF() - 1))
        chart.legend().setFont(legend_font)
        chart.setMargins(QMargins(4, 4, 4, 4))
        series = QHorizontalStackedBarSeries()
        for status in Status:
            values = [self.counts[t].get(status, 0) for t in themes]
            if not any(values):
                continue
            bar = QBarSet(status.label)
            bar.append([float(v) for v in values])
            bar.setColor(CHART_COLOURS[status])
            series.append(bar)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([_short(t) for t in themes])
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = QValueAxis()
        axis_x.setLabelFormat("%d")
        axis_x.setTitleText(self.tr("Recommendations"))
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        if themes:
            axis_x.applyNiceNumbers()
        else:
            axis_x.setRange(0, 1)
        if not themes:
            chart.setTitle(self.tr("Nothing in the register yet"))
        if self.chart_view is None:
            self.chart_view = QChartView(chart)
            self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.chart_view.setAccessibleName(self.tr("Chart of status by theme"))
            self.chart_view.setMinimumWidth(360)
            self.chart_holder.addWidget(self.chart_view)
        else:
            old = self.chart_view.chart()
            self.chart_view.setChart(chart)
            old.deleteLater()
        self.chart = chart

    def export_chart(self, path: Path) -> Path:
        """Save the chart as a PNG (at twice the screen size, for a briefing paper)."""
        view = self.chart_view
        if view is None:
            raise PccError("There is no chart to export yet.")
        size = view.size() * 2
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.render(painter)
        painter.end()
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        with maintenance.atomic_output(path) as tmp:
            # PySide6 takes the format as a str (bytes are refused at run time); its stubs say bytes
            if not image.save(str(tmp), "PNG"):  # type: ignore[call-overload]
                raise PccError(f"{path.name}: the picture could not be written.")
        return path

    def choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export chart"), "status-by-theme.png", self.tr("PNG pictures (*.png)")
        )
        if name:
            try:
                saved = self.export_chart(Path(name))
            except Exception as error:  # PccError or OSError: say so in the window
                self.bench.report_error(error)
                return
            self.bench.message(self.tr("Chart saved to %s") % saved)

    def export_calendar(self, path: Path, on_done=None) -> None:
        """Write the calendar of dates to keep (in the background); ``on_done(result)`` after."""
        desk = self.bench.desk

        def done(result) -> None:
            self.bench.message(
                self.tr("%d dates saved to %s") % (len(result.events), result.path.name)
            )
            if on_done is not None:
                on_done(result)

        self.bench.run(
            lambda _token, _p: calendar_export.export_calendar(desk, path),
            done,
            label=self.tr("Writing the calendar"),
        )

    def choose_calendar_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export calendar"),
            "pcc-dates.ics",
            self.tr("Calendar files (*.ics)"),
        )
        if name:
            path = Path(name)
            self.export_calendar(
                path if path.suffix.lower() == ".ics" else path.with_suffix(".ics")
            )

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("due/splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        value = settings.value("due/splitter")
        if value is not None:
            self.splitter.restoreState(value)


def _short(theme: str, limit: int = 30) -> str:
    return theme if len(theme) <= limit else theme[: limit - 1] + "…"
