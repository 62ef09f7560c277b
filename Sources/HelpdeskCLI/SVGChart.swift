import Foundation

/// A chart per period as inline SVG for the HTML report: bars side by side, or lines, on a
/// y axis from 0 with a few round ticks. Nothing outside the element: no fonts, no scripts.
struct SVGChart {
    enum Style { case bars, lines }

    struct Line {
        var name: String
        var colour: String
        var values: [Double?]
    }

    var id: String
    var style: Style
    var labels: [String]
    var lines: [Line]
    /// The axis's top and its step when fixed (100 % in quarters, ratings 0-5); else from the values.
    var fixedAxis: (top: Double, step: Double)?
    /// A tick's text: "12", "2h", "90%".
    var tickText: (Double) -> String
    /// A value's text in a tooltip.
    var valueText: (Double) -> String

    static let width = 640.0, height = 240.0
    static let left = 52.0, right = 24.0, above = 14.0, below = 34.0

    func svg() -> String {
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.above - Self.below
        let largest = lines.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let (step, ceiling) = fixedAxis.map { largest <= $0.top ? ($0.step, $0.top) : Self.ticks(upTo: largest) }
            ?? Self.ticks(upTo: largest)
        let slot = plotWidth / Double(max(labels.count, 1))
        func x(_ index: Int) -> Double { Self.left + slot * (Double(index) + 0.5) }
        func y(_ value: Double) -> Double { Self.above + plotHeight * (1 - value / ceiling) }
        var parts = ["<svg class=\"chart\" id=\"\(id)\" viewBox=\"0 0 \(Self.number(Self.width)) \(Self.number(Self.height))\" "
                     + "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">"]
        var tick = 0.0
        while tick <= ceiling + step / 2 {
            parts.append("<line class=\"grid\" x1=\"\(Self.number(Self.left))\" x2=\"\(Self.number(Self.width - Self.right))\" "
                         + "y1=\"\(Self.number(y(tick)))\" y2=\"\(Self.number(y(tick)))\"/>")
            parts.append("<text class=\"tick\" x=\"\(Self.number(Self.left - 6))\" y=\"\(Self.number(y(tick) + 4))\" "
                         + "text-anchor=\"end\">\(HTMLText.escape(tickText(tick)))</text>")
            tick += step
        }
        let every = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        for (index, label) in labels.enumerated() where (labels.count - 1 - index) % every == 0 {
            parts.append("<text class=\"label\" x=\"\(Self.number(x(index)))\" y=\"\(Self.number(Self.height - 12))\" "
                         + "text-anchor=\"middle\">\(HTMLText.escape(label))</text>")
        }
        switch style {
        case .bars:
            let barWidth = slot * 0.8 / Double(max(lines.count, 1))
            for (number, line) in lines.enumerated() {
                for (index, value) in line.values.enumerated() {
                    guard let value else { continue }
                    let start = x(index) - slot * 0.4 + barWidth * Double(number)
                    parts.append("<rect class=\"bar\" x=\"\(Self.number(start))\" y=\"\(Self.number(y(value)))\" "
                                 + "width=\"\(Self.number(max(barWidth - 1, 1)))\" "
                                 + "height=\"\(Self.number(max(y(0) - y(value), 0.5)))\" fill=\"\(line.colour)\">"
                                 + "<title>\(HTMLText.escape("\(labels[index]) \(line.name): \(valueText(value))"))</title></rect>")
                }
            }
        case .lines:
            for line in lines {
                var path = "", pen = "M"
                for (index, value) in line.values.enumerated() {
                    guard let value else { pen = "M"; continue }
                    path += "\(pen)\(Self.number(x(index))),\(Self.number(y(value))) "
                    pen = "L"
                }
                if !path.isEmpty {
                    parts.append("<path class=\"line\" d=\"\(path.dropLast())\" stroke=\"\(line.colour)\"/>")
                }
                for (index, value) in line.values.enumerated() {
                    guard let value else { continue }
                    parts.append("<circle class=\"point\" cx=\"\(Self.number(x(index)))\" cy=\"\(Self.number(y(value)))\" "
                                 + "r=\"\(labels.count > 40 ? "1.5" : "3")\" fill=\"\(line.colour)\">"
                                 + "<title>\(HTMLText.escape("\(labels[index]) \(line.name): \(valueText(value))"))</title></circle>")
                }
            }
        }
        parts.append("<line class=\"axis\" x1=\"\(Self.number(Self.left))\" x2=\"\(Self.number(Self.width - Self.right))\" "
                     + "y1=\"\(Self.number(y(0)))\" y2=\"\(Self.number(y(0)))\"/>")
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// A round step (1, 2 or 5 times a power of ten, or of the unit given) giving about four ticks, and the axis's top.
    static func ticks(upTo largest: Double) -> (step: Double, top: Double) {
        guard largest > 0 else { return (1, 1) }
        let rough = largest / 4
        let power = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        return (step, (largest / step).rounded(.up) * step)
    }

    /// Coordinates to two decimals, without trailing zeros.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
