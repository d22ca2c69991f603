import Foundation

/// One named row of numbers in a chart: a bar per label, or a line through the labels. `nil`
/// is "no figure" (nothing decided that month) — drawn as a gap, never as zero.
public struct ChartSeries: Sendable, Equatable {
    public let name: String
    public let values: [Double?]
    public init(name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

/// Charts drawn on the server as SVG text (REP-1 "charts as SVG"): horizontal grouped bars,
/// lines, and a small-multiples grid of lines. No script, no fonts or images from anywhere,
/// every text escaped; each carries a <title> and <desc> for screen readers and prints legibly
/// on A4 in black and white (values are written next to the marks). A chart is always shown
/// beside a table of the same numbers — the chart is for the eye, the table is the record.
public struct SVGChart: Sendable, Equatable {
    /// Element ids on the page start with this (letters, digits, "-" and "_" kept).
    public var id: String
    public var title: String
    /// What the chart shows, in a sentence (the SVG <desc>).
    public var summary: String
    /// Categories (bars) or x positions (lines), e.g. months "2026-01".
    public var labels: [String]
    public var series: [ChartSeries]
    /// Written after each value, e.g. "%" or " 分钟".
    public var unit: String
    public var decimals: Int
    /// Top of the scale (100 for percentages); from the data when nil.
    public var maximum: Double?
    /// A target drawn as a dashed rule (e.g. 95 for the 95% collection rate).
    public var target: Double?

    public init(id: String, title: String, summary: String, labels: [String], series: [ChartSeries],
                unit: String = "", decimals: Int = 0, maximum: Double? = nil, target: Double? = nil) {
        self.id = String(id.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }.prefix(60))
        self.title = title
        self.summary = summary
        self.labels = labels
        self.series = series
        self.unit = unit
        self.decimals = max(0, min(decimals, 3))
        self.maximum = maximum
        self.target = target
    }

    /// Fill colours, distinguishable in grey print by lightness as well as hue.
    static let palette = ["#1f4e8c", "#e08a1e", "#5aa469", "#b8433c", "#8a6fb0", "#7f7f7f"]
    static let font = "font-family=\"sans-serif\""

    // MARK: bars

    /// Horizontal bars, one group per label and one bar per series, the value at each bar's end.
    public func bars(width: Int = 640) -> String {
        let labelWidth = min(240, max(60, labels.map(Self.textWidth).max() ?? 60) + 12)
        let valueRoom = 64
        let plotWidth = max(80, width - labelWidth - valueRoom - 8)
        let bar = 14, gap = 10
        let legend = series.count > 1 ? 22 : 0
        let top = 30 + legend
        let groupHeight = max(1, series.count) * bar + gap
        let height = top + max(1, labels.count) * groupHeight + 26
        let scale = topOfScale()
        var body = header(width: width, height: height)
        body += legendRow(y: 40, x: labelWidth)
        let x0 = labelWidth
        for tick in ticks(scale) {
            let x = x0 + Int((Double(plotWidth) * tick / scale).rounded())
            body += "<line x1=\"\(x)\" y1=\"\(top - 4)\" x2=\"\(x)\" y2=\"\(height - 22)\" stroke=\"#ddd\"/>"
            body += "<text x=\"\(x)\" y=\"\(height - 8)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\(esc(tickLabel(tick)))</text>"
        }
        for (i, label) in labels.enumerated() {
            let gy = top + i * groupHeight
            body += "<text x=\"\(labelWidth - 8)\" y=\"\(gy + (series.count * bar) / 2 + 4)\" font-size=\"12\" text-anchor=\"end\">\(esc(label))</text>"
            for (s, serie) in series.enumerated() {
                let y = gy + s * bar
                guard i < serie.values.count, let v = serie.values[i] else {
                    body += "<text x=\"\(x0 + 4)\" y=\"\(y + bar - 3)\" font-size=\"11\" fill=\"#777\">—</text>"
                    continue
                }
                let w = max(0, Int((Double(plotWidth) * min(max(v, 0), scale) / scale).rounded()))
                body += "<rect x=\"\(x0)\" y=\"\(y + 1)\" width=\"\(w)\" height=\"\(bar - 2)\" fill=\"\(Self.color(s))\">"
                body += "<title>\(esc("\(serie.name) · \(label): \(number(v))\(unit)"))</title></rect>"
                body += "<text x=\"\(x0 + w + 4)\" y=\"\(y + bar - 3)\" font-size=\"11\">\(esc(number(v) + unit))</text>"
            }
        }
        if let target, target <= scale {
            let x = x0 + Int((Double(plotWidth) * target / scale).rounded())
            body += "<line x1=\"\(x)\" y1=\"\(top - 6)\" x2=\"\(x)\" y2=\"\(height - 22)\" stroke=\"#b8433c\" stroke-dasharray=\"4 3\"/>"
        }
        body += "<line x1=\"\(x0)\" y1=\"\(top - 4)\" x2=\"\(x0)\" y2=\"\(height - 22)\" stroke=\"#333\"/>"
        return body + "</svg>"
    }

    // MARK: lines

    /// One line per series through the labels (left to right), points marked, the last value written.
    public func lines(width: Int = 640, height: Int = 240) -> String {
        var body = header(width: width, height: height)
        body += legendRow(y: 40, x: 48)
        body += plot(x: 0, y: series.count > 1 ? 50 : 30, width: width, height: height - (series.count > 1 ? 50 : 30), compact: false)
        return body + "</svg>"
    }

    /// The plot of `lines` inside a frame, for the full chart and for each small multiple.
    func plot(x: Int, y: Int, width: Int, height: Int, compact: Bool) -> String {
        let left = x + (compact ? 36 : 48), right = x + width - (compact ? 30 : 40)
        let top = y + 8, bottom = y + height - (compact ? 20 : 30)
        let scale = topOfScale()
        var out = ""
        for tick in ticks(scale) {
            let ty = bottom - Int((Double(bottom - top) * tick / scale).rounded())
            out += "<line x1=\"\(left)\" y1=\"\(ty)\" x2=\"\(right)\" y2=\"\(ty)\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(left - 4)\" y=\"\(ty + 4)\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">\(esc(tickLabel(tick)))</text>"
        }
        if let target, target <= scale {
            let ty = bottom - Int((Double(bottom - top) * target / scale).rounded())
            out += "<line x1=\"\(left)\" y1=\"\(ty)\" x2=\"\(right)\" y2=\"\(ty)\" stroke=\"#b8433c\" stroke-dasharray=\"4 3\"/>"
        }
        let n = labels.count
        func px(_ i: Int) -> Int { n <= 1 ? (left + right) / 2 : left + (right - left) * i / (n - 1) }
        func py(_ v: Double) -> Int { bottom - Int((Double(bottom - top) * min(max(v, 0), scale) / scale).rounded()) }
        let every = compact ? max(1, (n + 3) / 4) : max(1, (n + 11) / 12)
        for (i, label) in labels.enumerated() where i % every == 0 || i == n - 1 {
            out += "<text x=\"\(px(i))\" y=\"\(bottom + (compact ? 14 : 16))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">\(esc(compact ? String(label.suffix(5)) : label))</text>"
        }
        for (s, serie) in series.enumerated() {
            var runs: [[(Int, Double)]] = [[]]
            for i in 0..<n {
                if i < serie.values.count, let v = serie.values[i] { runs[runs.count - 1].append((i, v)) } else if !(runs.last?.isEmpty ?? true) { runs.append([]) }
            }
            for run in runs where run.count > 1 {
                out += "<polyline fill=\"none\" stroke=\"\(Self.color(s))\" stroke-width=\"2\" points=\"\(run.map { "\(px($0.0)),\(py($0.1))" }.joined(separator: " "))\"/>"
            }
            for (i, v) in runs.flatMap({ $0 }) {
                out += "<circle cx=\"\(px(i))\" cy=\"\(py(v))\" r=\"2.5\" fill=\"\(Self.color(s))\"><title>\(esc("\(serie.name) · \(labels[i]): \(number(v))\(unit)"))</title></circle>"
            }
            if let last = runs.flatMap({ $0 }).last {
                out += "<text x=\"\(px(last.0) + 4)\" y=\"\(py(last.1) - 4)\" font-size=\"10\">\(esc(number(last.1) + unit))</text>"
            }
        }
        out += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"#333\"/>"
        return out
    }

    // MARK: small multiples

    /// A grid of small line charts with the same x labels, each on its own scale (or its own
    /// `maximum`): the 12-month trend of many figures at one glance.
    public static func smallMultiples(id: String, title: String, summary: String, panels: [SVGChart], columns: Int = 3, width: Int = 720) -> String {
        let frame = SVGChart(id: id, title: title, summary: summary, labels: [], series: [])
        let cols = max(1, min(columns, 6))
        let panelWidth = width / cols, panelHeight = 150
        let rows = (panels.count + cols - 1) / cols
        let height = 34 + max(1, rows) * panelHeight
        var body = frame.header(width: width, height: height)
        for (i, panel) in panels.enumerated() {
            let x = (i % cols) * panelWidth, y = 34 + (i / cols) * panelHeight
            body += "<g>"
            body += "<text x=\"\(x + 8)\" y=\"\(y + 12)\" font-size=\"12\" font-weight=\"bold\">\(XMLText.escape(panel.title))</text>"
            body += panel.plot(x: x, y: y + 14, width: panelWidth, height: panelHeight - 18, compact: true)
            body += "</g>"
        }
        return body + "</svg>"
    }

    // MARK: pieces

    func header(width: Int, height: Int) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" "
            + "aria-labelledby=\"\(id)-title \(id)-desc\" class=\"chart\" id=\"\(id)\" \(Self.font)>"
            + "<title id=\"\(id)-title\">\(esc(title))</title><desc id=\"\(id)-desc\">\(esc(summary))</desc>"
            + "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#fff\"/>"
            + "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(esc(title))</text>"
    }

    func legendRow(y: Int, x: Int) -> String {
        guard series.count > 1 else { return "" }
        var out = "", cursor = x
        for (s, serie) in series.enumerated() {
            out += "<rect x=\"\(cursor)\" y=\"\(y - 10)\" width=\"12\" height=\"12\" fill=\"\(Self.color(s))\"/>"
            out += "<text x=\"\(cursor + 16)\" y=\"\(y)\" font-size=\"11\">\(esc(serie.name))</text>"
            cursor += 28 + Self.textWidth(serie.name)
        }
        return out
    }

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// The top of the value axis: the given maximum, else 1, 2 or 5 times a power of ten at or above the largest value.
    func topOfScale() -> Double {
        if let maximum, maximum > 0 { return maximum }
        let largest = max(series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0, target ?? 0)
        guard largest > 0, largest.isFinite else { return 1 }
        let power = pow(10, floor(log10(largest)))
        return [1.0, 2.0, 5.0, 10.0].map { $0 * power }.first { $0 >= largest } ?? largest
    }

    func ticks(_ scale: Double) -> [Double] { [0, scale / 2, scale] }

    /// A tick's label: like the values, but the middle of a scale of 5 reads 2.5, not 2.
    func tickLabel(_ v: Double) -> String {
        guard v.isFinite, decimals == 0, v != v.rounded() else { return number(v) }
        return String(format: "%.1f", v)
    }

    func number(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        return String(format: "%.\(decimals)f", v)
    }

    func esc(_ s: String) -> String { XMLText.escape(s) }

    /// Width in pixels of 12px text: a Chinese character about 12, a Latin one about 7.
    static func textWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E7F ? 12 : 7) }
    }
}
