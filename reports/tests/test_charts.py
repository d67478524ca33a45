"""The page charts read on a phone: the trend is drawn to the real values (a target far above them runs
off the top with its value written, instead of flattening them to a line along the axis), and each bar
chart label has a line of its own instead of being cut at the chart's left edge."""

import re

import pandas as pd

from reports.charts import TARGET_OFF_SCALE_RATIO, _nice_ceiling, hbar_svg, trend_svg


def _trend(monthly, target_total):
    frame = pd.DataFrame({"month": range(1, 13), "jp": monthly})
    frame["cumulative_jp"] = frame["jp"].cumsum()
    frame["target_line"] = (target_total * frame["month"] / 12).round(1)
    return frame


def _cumulative_ys(svg: str) -> list[float]:
    points = re.findall(r'<polyline points="([^"]*)"', svg)[1]
    return [float(p.split(",")[1]) for p in points.split()]


def test_a_target_far_above_the_real_values_leaves_them_the_charts_height():
    svg = str(trend_svg(_trend([2, 3, 1, 4, 2, 3, 5, 1, 2, 3, 2, 2], target_total=1000)))
    ys = _cumulative_ys(svg)
    plot_top, plot_bottom = 42, 214 - 22
    # From 2 to 30 JP on an axis to 40: most of the plot's height (to 1,000 it was 3% of it).
    assert max(ys) - min(ys) > (plot_bottom - plot_top) * 0.6
    assert "data-target-off-scale" in svg and "Target akhir tahun 1.000 JP, di atas skala" in svg
    assert 'clip-path="url(#trend-plot)"' in svg  # the target line is cut at the plot's top


def test_a_target_within_reach_is_drawn_whole_on_the_same_axis():
    target = 120 * TARGET_OFF_SCALE_RATIO - 1
    svg = str(trend_svg(_trend([10] * 12, target_total=target)))
    assert "data-target-off-scale" not in svg
    ticks = [int(t.replace(".", "")) for t in re.findall(r'text-anchor="end">([\d.]+)</text>', svg)]
    assert max(ticks) >= target  # the axis reaches the target


def test_labels_are_readable_at_phone_width():
    svg = str(trend_svg(_trend([1] * 12, target_total=20)))
    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', svg)}
    assert min(sizes) >= 11


def test_a_units_name_has_a_line_of_its_own_and_is_not_cut():
    name = "Dinas Kependudukan dan Pencatatan Sipil"
    svg = str(hbar_svg([name, "BKPSDM"], [40.0, 100.0], name="units", suffix="%", max_value=100))
    assert f'<text x="0" y="12" font-size="12">{name}</text>' in svg
    assert svg.count("<rect") == 2  # one bar per unit (the grey track is a line)
    long = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Daerah"
    assert "…" in str(hbar_svg([long], [1.0], name="units")) and long in str(hbar_svg([long], [1.0], name="units"))


def test_round_axis_tops():
    assert [_nice_ceiling(v) for v in (0, 0.7, 7, 11, 31.5, 60.5, 999)] == [1.0, 0.8, 8, 12, 40, 80, 1000]


def test_the_pdfs_trend_keeps_the_real_values_scale_too(monkeypatch):
    from types import SimpleNamespace

    from reports import charts

    frame = _trend([2, 3, 1, 4, 2, 3, 5, 1, 2, 3, 2, 2], target_total=1000)
    frame.loc[frame["month"] > 9, "cumulative_jp"] = float("nan")  # the months still to come
    monkeypatch.setattr(charts, "_png", lambda fig: (fig.axes[0].get_ylim(), [t.get_text() for t in fig.axes[0].texts]))
    bundle = SimpleNamespace(summary=None, view=lambda name: SimpleNamespace(frame=frame) if name == "tren" else None)
    [(ylim, texts)] = charts.pdf_charts(bundle)
    assert ylim[1] < 40 and texts == ["Target akhir tahun 1.000 JP, di atas skala ↑"]
