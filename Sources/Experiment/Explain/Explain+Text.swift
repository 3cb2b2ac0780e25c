import Foundation
import NN
import Report

/// How `reslab explain` writes its answer.
public enum ExplainFormat: String, CaseIterable, Sendable {
    /// Aligned columns for the terminal.
    case text
    /// A Markdown table and lists, for notes and issues.
    case markdown
    /// Every figure of every node at every size, for scripts (`ExplainRecord`).
    case json
}

extension ModelExplanation {
    /// The header lines: the model, what was assumed, its parameters, where it cannot run and
    /// which sizes lose nothing to rounding.
    var facts: [String] {
        let sizes = plans.map(\.input.height)
        let trainedAt = trained.input.height
        var lines = ["\(name): \(classes) classes, parameters built at \(trainedAt) px, \(trained.input.channels) channels; "
                     + "\(grouped(trained.parameters)) parameters"
                     + (assumptions.isEmpty ? "." : " (assumed: \(assumptions.joined(separator: ", "))).")]
        let failing = plans.filter { $0.failure != nil }
        lines.append(failing.isEmpty ? "Runs at every size asked (\(list(sizes)) px)."
                     : "Cannot run at \(list(failing.map(\.input.height))) px of \(list(sizes)) px (reasons below).")
        let exact = sizesWithoutRoundingLoss
        lines.append(exact.isEmpty ? "Rounding drops (or, under ceil, pads) rows or columns at every size asked."
                     : "No rounding loss at \(list(exact)) px: there no node's rounding rule loses input rows or columns the other rule would keep (floor leaving them unread, or ceil adding a padded window).")
        lines += pins.map { "Tied to its training size: " + $0 }
        if trained.nodes.contains(where: { $0.field.mixedJumps }) {
            lines.append("Some merges join paths with different strides: their receptive field is the union at output 0 and the larger stride.")
        }
        return lines
    }

    /// The table: a row per node (activations and dropout left out), RF and stride at the
    /// training size, then the output shape at each size ("✗" where it breaks); FLOPs last.
    var rows: [[String]] {
        let base = ArchitectureTable(tested: trained, trained: trained)
        // The node behind each table row, to read its rounding from the plan.
        let rowNodes = trained.graph.nodes.indices.filter { ArchitectureTable.hasRow(trained.graph.nodes[$0].layer) }
        var rows = [["node", "RF", "stride", "params"] + plans.map { "\($0.input.height) px" }]
        for (i, row) in base.layers.enumerated() {
            rows.append([row.layer, String(row.receptiveField), String(row.totalStride), String(row.parameters)] + zip(plans, tables).map { plan, table in
                guard i < table.layers.count else { return "" }
                let cell = table.layers[i]
                if cell.breaks != nil { return "✗" }
                let shape = cell.outputShape.map(String.init).joined(separator: "×")
                let loses = plan.nodes.indices.contains(rowNodes[i]) && plan.nodes[rowNodes[i]].rounding?.usedRuleLoses == true
                return shape + (loses ? "*" : "")
            })
        }
        rows.append(["FLOPs per image", "", "", ""] + plans.map { $0.failure == nil ? formatFLOPs(Double($0.flops)) : "—" })
        return rows
    }

    /// "24 px  #9 maxpool 2: floor 5→2, drops 1 row+1 col (used); ceil 5→3, pads 1 row+1 col" for
    /// every downsampling node where floor and ceil differ.
    var roundingLines: [String] {
        zip(plans, tables).flatMap { plan, table in
            table.layers.compactMap { row -> String? in
                guard row.rules.count == 2, row.rules[0].rows != row.rules[1].rows || row.rules[0].columns != row.rules[1].columns else { return nil }
                return "\(plan.input.height) px  \(row.layer): " + row.rules.map { ruleText($0) + ($0.used ? " (used)" : "") }.joined(separator: "; ")
            }
        }
    }

    /// What a `*` after a shape says.
    static let roundingMark = "the node's rounding rule loses input rows or columns there that the other rule would keep: floor leaves them unread, or ceil adds a padded window."

    /// "48 px  Layer 11 (dense 10): dense expects …" for every size the model cannot run at.
    var failureLines: [String] {
        plans.compactMap { plan in plan.failure.map { "\(plan.input.height) px  \($0.sentence)" } }
    }

    private func list(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: ", ") }
}

/// The explanations in `format`.
public func renderExplanation(_ models: [ModelExplanation], format: ExplainFormat) throws -> String {
    switch format {
    case .text:
        return models.map { model in
            var text = model.facts.joined(separator: "\n") + "\n\n" + alignedColumns(model.rows) + "\n"
            text += "* " + ModelExplanation.roundingMark + "\n"
            if !model.roundingLines.isEmpty {
                text += "\nWhere floor and ceil differ:\n" + model.roundingLines.map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
            if !model.failureLines.isEmpty {
                text += "\nWhy it cannot run:\n" + model.failureLines.map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
            return text
        }.joined(separator: "\n")
    case .markdown:
        return models.map { model in
            var text = "## \(model.name)\n\n" + model.facts.joined(separator: "\n") + "\n\n"
            let rows = model.rows.map { $0.map { $0.replacingOccurrences(of: "|", with: "\\|") } }
            text += "| " + rows[0].joined(separator: " | ") + " |\n|" + rows[0].map { _ in "---|" }.joined() + "\n"
            text += rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
            text += "\n\\* " + ModelExplanation.roundingMark + "\n"
            if !model.roundingLines.isEmpty { text += "\n**Where floor and ceil differ**\n\n" + model.roundingLines.map { "- " + $0 }.joined(separator: "\n") + "\n" }
            if !model.failureLines.isEmpty { text += "\n**Why it cannot run**\n\n" + model.failureLines.map { "- " + $0 }.joined(separator: "\n") + "\n" }
            return text
        }.joined(separator: "\n")
    case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(models.map(ExplainRecord.init)), as: UTF8.self) + "\n"
    }
}

/// 273258 → "273,258".
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    let groups = stride(from: digits.count, to: 0, by: -3).reversed().map { end in
        String(digits[digits.index(digits.startIndex, offsetBy: max(0, end - 3))..<digits.index(digits.startIndex, offsetBy: end)])
    }
    return (value < 0 ? "-" : "") + groups.joined(separator: ",")
}

/// Left-aligned first column, right-aligned others, two spaces apart.
func alignedColumns(_ rows: [[String]]) -> String {
    let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { c, cell in
            let pad = String(repeating: " ", count: widths[c] - cell.count)
            return c == 0 ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}
