"""Statistics: the Committee's figures (asks made, answered on time, accepted, implemented and
verified, open by age, overdue) for the whole register or grouped by addressee, theme, year or
letter, over the asks made between two dates; two charts (QtCharts, imported when the screen is first
shown) and the table, exportable as PNG, .csv and .xlsx for briefings and the annual report. The
figures come from :func:`pcc_desk.services.statistics.compute`, the same as ``pcc-desk stats``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QMargins, QRectF, QSettings, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
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

from pcc_desk.dates import house_date
from pcc_desk.errors import PccError
from pcc_desk.gui.dialogs.response_form import from_qdate
from pcc_desk.gui.models.statistics_model import StatisticsTableModel
from pcc_desk.gui.screens import Screen
from pcc_desk.gui.workbench import Newest, Workbench
from pcc_desk.services import maintenance, statistics
from pcc_desk.vocabulary import ChangeKind

STATISTICS_KINDS = frozenset(
    {ChangeKind.RECOMMENDATIONS, ChangeKind.RESPONSES, ChangeKind.DOCUMENTS, ChangeKind.THEMES}
)
GROUP_CHOICES = (
    ("all", "All asks"),
    ("addressee", "By addressee"),
    ("theme", "By theme"),
    ("year", "By year made"),
    ("letter", "By letter"),
)
ANY_DATE = QDate(1990, 1, 1)  # the date edits' minimum, shown as "any date"
# (label, field, colour) of the shares chart
SHARES = (
    ("On time", "on_time_percent", "#e0a800"),
    ("Accepted", "accepted_percent", "#3b82f6"),
    ("Implemented", "reported_implemented_percent", "#8b5cf6"),
    ("Verified", "verified_percent", "#16a34a"),
)
AGE_COLOURS = ("#bbf7d0", "#fde68a", "#fdba74", "#f87171", "#991b1b")


class StatisticsScreen(Screen):
    def __init__(
        self, bench: Workbench, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(bench, parent)
        self.today = today or dt.date.today()
        self._dirty = True
        self._counting = Newest(bench)  # choices and changes may come while it counts
        self.stats: statistics.Statistics | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)

        bar = QHBoxLayout()
        self.group_combo = QComboBox(self)
        self.group_combo.setAccessibleName(self.tr("Group the figures"))
        for key, label in GROUP_CHOICES:
            self.group_combo.addItem(self.tr(label), key)
        self.from_edit = self._date_edit(self.tr("Asks made from"))
        self.to_edit = self._date_edit(self.tr("Asks made up to"))
        bar.addWidget(self.group_combo)
        bar.addWidget(QLabel(self.tr("Asks made from"), self))
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel(self.tr("to"), self))
        bar.addWidget(self.to_edit)
        bar.addStretch(1)
        self.png_button = QPushButton(self.tr("Export &charts as PNG…"), self)
        self.png_button.setAccessibleName(self.tr("Export the charts as a PNG picture"))
        self.png_button.clicked.connect(self.choose_chart_export)
        self.table_button = QPushButton(self.tr("Export &table…"), self)
        self.table_button.setAccessibleName(self.tr("Export the table as .xlsx or .csv"))
        self.table_button.clicked.connect(self.choose_table_export)
        bar.addWidget(self.png_button)
        bar.addWidget(self.table_button)
        layout.addLayout(bar)

        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.charts = QWidget(self.splitter)
        charts_layout = QHBoxLayout(self.charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        self.shares_view = self._chart_view(self.tr("Chart of shares by group"))
        self.ages_view = self._chart_view(self.tr("Chart of open asks by age"))
        charts_layout.addWidget(self.shares_view, 1)
        charts_layout.addWidget(self.ages_view, 1)
        self.model = StatisticsTableModel(self)
        self.table = QTableView(self.splitter)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Statistics table"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.splitter.setSizes([430, 220])
        layout.addWidget(self.splitter, 1)

        self.group_combo.currentIndexChanged.connect(self.reload)
        self.from_edit.dateChanged.connect(self.reload)
        self.to_edit.dateChanged.connect(self.reload)
        bench.changes.changed.connect(self._on_changed)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(ANY_DATE)
        edit.setSpecialValueText(self.tr("any date"))
        edit.setDate(ANY_DATE)
        return edit

    def _chart_view(self, name: str):
        from PySide6.QtCharts import QChartView

        view = QChartView(self.charts)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setAccessibleName(name)
        view.setMinimumSize(320, 240)
        return view

    # --- the choices -----------------------------------------------------------------------------

    def grouping(self) -> str:
        return self.group_combo.currentData()

    def set_grouping(self, key: str) -> None:
        self.group_combo.setCurrentIndex(self.group_combo.findData(key))

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        def day(edit: QDateEdit) -> dt.date | None:
            return None if edit.date() == ANY_DATE else from_qdate(edit.date())

        return day(self.from_edit), day(self.to_edit)

    # --- data ------------------------------------------------------------------------------------

    def activate(self) -> None:
        if self._dirty:
            self.reload()

    def reload(self) -> None:
        self._dirty = False
        desk, today, by = self.bench.desk, self.today, self.grouping()
        made_from, made_to = self.period()
        self._counting.run(
            lambda _token, _p: statistics.compute(
                desk, by=by, made_from=made_from, made_to=made_to, today=today
            ),
            self._show,
            label=self.tr("Counting"),
        )

    def _show(self, stats: statistics.Statistics) -> None:
        self.stats = stats
        self.model.set_statistics(stats)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(320, max(160, self.table.columnWidth(0))))
        total = stats.total
        if total.asks:
            self.summary_label.setText(
                self.tr(
                    "<b>%d asks</b> made %s; %s answered within the deadline; median %s days to "
                    "respond; %d open, %d overdue on %s."
                )
                % (
                    total.asks,
                    statistics.period_words(stats),
                    _share(total.on_time_percent),
                    "–"
                    if total.median_days_to_respond is None
                    else f"{total.median_days_to_respond:g}",
                    total.open,
                    total.overdue,
                    house_date(stats.today),
                )
            )
        else:
            self.summary_label.setText(self.tr("No asks were made in that period."))
        self._draw_charts(stats)
        if not self.is_loaded():
            self.mark_loaded()

    def _on_changed(self, kinds: frozenset[ChangeKind], _refs) -> None:
        if kinds & STATISTICS_KINDS:
            self._dirty = True
            if self.isVisible():
                self.activate()

    # --- charts ----------------------------------------------------------------------------------

    def _draw_charts(self, stats: statistics.Statistics) -> None:
        from PySide6.QtCharts import (
            QBarCategoryAxis,
            QBarSeries,
            QBarSet,
            QChart,
            QStackedBarSeries,
            QValueAxis,
        )

        groups = list(stats.groups)
        names = [_short(g.group) for g in groups]

        def chart(title: str) -> QChart:
            c = QChart()
            c.setTitle(title)
            c.setAnimationOptions(QChart.AnimationOption.NoAnimation)
            c.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
            c.setMargins(QMargins(4, 4, 4, 4))
            return c

        def axes(c: QChart, series, maximum: float | None, title: str) -> None:
            x = QBarCategoryAxis()
            x.append(names or [self.tr("(none)")])
            c.addAxis(x, Qt.AlignmentFlag.AlignBottom)
            series.attachAxis(x)
            y = QValueAxis()
            y.setLabelFormat("%d")
            y.setTitleText(title)
            c.addAxis(y, Qt.AlignmentFlag.AlignLeft)
            series.attachAxis(y)
            if maximum is not None:
                y.setRange(0, maximum)
            else:
                y.applyNiceNumbers()

        shares = chart(self.tr("Shares of the asks (%)"))
        series = QBarSeries()
        for label, name, colour in SHARES:
            bar = QBarSet(self.tr(label))
            bar.append([float(getattr(g, name) or 0.0) for g in groups])
            bar.setColor(QColor(colour))
            series.append(bar)
        shares.addSeries(series)
        axes(shares, series, 100, self.tr("%"))
        ages = chart(self.tr("Open asks by age"))
        stacked = QStackedBarSeries()
        for index, label in enumerate(stats.age_bands):
            bar = QBarSet(label)
            bar.append([float(g.open_by_age[index]) for g in groups])
            bar.setColor(QColor(AGE_COLOURS[index]))
            stacked.append(bar)
        ages.addSeries(stacked)
        most = max((g.open for g in groups), default=0)
        axes(ages, stacked, None if most else 1, self.tr("Open asks"))
        for view, new in ((self.shares_view, shares), (self.ages_view, ages)):
            old = view.chart()
            view.setChart(new)
            if old is not None:
                old.deleteLater()
        self.shares_chart, self.ages_chart = shares, ages

    # --- exports ---------------------------------------------------------------------------------

    def export_charts(self, path: Path) -> Path:
        """Both charts side by side as one PNG, at twice the screen size (for a briefing paper)."""
        size = self.charts.size() * 2
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for view in (self.shares_view, self.ages_view):
            place = view.geometry()
            target = QRectF(place.x() * 2, place.y() * 2, place.width() * 2, place.height() * 2)
            view.render(painter, target)
        painter.end()
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        with maintenance.atomic_output(path) as tmp:
            if not image.save(str(tmp), "PNG"):  # type: ignore[call-overload]
                raise PccError(f"{path.name}: the picture could not be written.")
        return path

    def export_table(self, path: Path) -> Path:
        if self.stats is None:
            raise PccError("The figures are still being counted; try again in a moment.")
        return statistics.export_table(self.stats, path)

    def choose_chart_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export charts"), "statistics.png", self.tr("PNG pictures (*.png)")
        )
        if name:
            self._export(lambda: self.export_charts(Path(name)), self.tr("Charts saved to %s"))

    def choose_table_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export table"),
            "statistics.xlsx",
            self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"),
        )
        if name:
            self._export(lambda: self.export_table(Path(name)), self.tr("Table saved to %s"))

    def _export(self, write, done: str) -> None:
        try:
            saved = write()
        except Exception as error:  # PccError or OSError: say so in the window
            self.bench.report_error(error)
            return
        self.bench.message(done % saved)

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("statistics/splitter", self.splitter.saveState())
        settings.setValue("statistics/by", self.grouping())

    def restore_state(self, settings: QSettings) -> None:
        value = settings.value("statistics/splitter")
        if value is not None:
            self.splitter.restoreState(value)
        by = settings.value("statistics/by")
        if by in statistics.GROUPINGS:
            self.set_grouping(by)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
