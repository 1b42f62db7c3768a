import Foundation

extension SVGChart {
    public struct Series: Sendable, Equatable {
        public var name: String
        /// One per axis label; nil leaves a gap.
        public var values: [Double?]

        public init(name: String, values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    /// A line chart over periods, one line per series (at most six are told apart by style), with an optional
    /// dashed reference line (a target) and a legend.
    public static func lines(_ series: [Series], labels: [String], reference: (value: Double, label: String)? = nil,
                             title: String, width: Int = 640, height: Int = 240) -> String {
        let left = 48.0, right = 16.0, top = 16.0, bottom = 44.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        var all = series.flatMap { $0.values.compactMap { $0 } }
        if let reference { all.append(reference.value) }
        var low = all.min() ?? 0, high = all.max() ?? 1
        if high - low < 1e-9 { low -= 1; high += 1 }
        let pad = (high - low) * 0.08
        low -= pad; high += pad
        let step = labels.count > 1 ? plotWidth / Double(labels.count - 1) : 0
        func x(_ i: Int) -> Double { left + (labels.count > 1 ? Double(i) * step : plotWidth / 2) }
        func y(_ v: Double) -> Double { top + (high - v) / (high - low) * plotHeight }
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \#(width) \#(height)" width="100%" preserveAspectRatio="xMinYMin meet"><title>\#(escape(title))</title>"#
        for k in 0...4 {
            let v = low + (high - low) * Double(k) / 4
            svg += #"<line x1="\#(format(left))" x2="\#(format(left + plotWidth))" y1="\#(format(y(v)))" y2="\#(format(y(v)))" class="chart-grid"/>"#
            svg += #"<text x="\#(format(left - 4))" y="\#(format(y(v) + 4))" text-anchor="end" class="chart-label">\#(format(v))</text>"#
        }
        let every = max(1, Int((Double(labels.count) / 10).rounded(.up)))
        for (i, label) in labels.enumerated() where i % every == 0 {
            svg += #"<text x="\#(format(x(i)))" y="\#(format(top + plotHeight + 16))" text-anchor="middle" class="chart-label">\#(escape(label))</text>"#
        }
        if let reference {
            svg += #"<line x1="\#(format(left))" x2="\#(format(left + plotWidth))" y1="\#(format(y(reference.value)))" y2="\#(format(y(reference.value)))" class="chart-target"/>"#
            svg += #"<text x="\#(format(left + plotWidth))" y="\#(format(y(reference.value) - 4))" text-anchor="end" class="chart-value">\#(escape(reference.label))</text>"#
        }
        for (k, line) in series.enumerated() {
            var path = "", pen = false
            for (i, value) in line.values.enumerated() {
                guard let value else { pen = false; continue }
                path += "\(pen ? "L" : "M")\(format(x(i))) \(format(y(value))) "
                pen = true
                svg += #"<circle cx="\#(format(x(i)))" cy="\#(format(y(value)))" r="2.5" class="chart-series-\#(k % 6)"/>"#
            }
            svg += #"<path d="\#(path)" fill="none" class="chart-line chart-series-\#(k % 6)"/>"#
            let lx = left + Double(k % 3) * plotWidth / 3, ly = Double(height) - 20 + Double(k / 3) * 12
            svg += #"<rect x="\#(format(lx))" y="\#(format(ly - 7))" width="12" height="4" class="chart-series-\#(k % 6)"/>"#
            svg += #"<text x="\#(format(lx + 16))" y="\#(format(ly))" class="chart-label">\#(escape(truncate(line.name, 16)))</text>"#
        }
        return svg + "</svg>"
    }
}
