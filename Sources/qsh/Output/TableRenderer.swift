// Tables for people (aligned columns) and for scripts (csv with a header, tsv without).
import QshCore

/// How a column's cells line up.
enum Alignment { case left, right }

/// A column: header text and alignment.
struct Column {
    var header: String
    var alignment: Alignment = .left
    init(_ header: String, _ alignment: Alignment = .left) {
        self.header = header
        self.alignment = alignment
    }
}

/// Renders rows of cells as an aligned table, CSV or TSV.
enum TableRenderer {
    /// An aligned table with a header row. Control characters in cells (a newline or an escape
    /// sequence in a task's name or tags) are shown as visible symbols, never sent to the terminal.
    static func table(_ columns: [Column], _ rows: [[String]], color: Bool = false) -> String {
        let rows = rows.map { $0.map { $0.terminalSafe() } }
        var widths = columns.map { displayWidth($0.header) }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], displayWidth(cell))
            }
        }
        var out = ""
        func emit(_ cells: [String], header: Bool) {
            var line = ""
            for (i, cell) in cells.enumerated() where i < columns.count {
                let pad = String(repeating: " ", count: widths[i] - displayWidth(cell))
                let last = i == columns.count - 1
                var text: String
                switch columns[i].alignment {
                case .left: text = cell + (last ? "" : pad)
                case .right: text = pad + cell
                }
                if header { text = Style.bold.apply(text, if: color) }
                line += text
                if !last { line += "  " }
            }
            out += line + "\n"
        }
        emit(columns.map(\.header), header: true)
        for row in rows { emit(row, header: false) }
        return out
    }

    /// RFC 4180 CSV with a header row. Control and bidirectional characters in cells show as
    /// visible symbols (`terminalSafe`), so a row is always one line and safe to print.
    static func csv(_ columns: [Column], _ rows: [[String]]) -> String {
        func quote(_ cell: String) -> String {
            let cell = cell.terminalSafe()
            if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + cell.replacingAll("\"", with: "\"\"") + "\""
            }
            return cell
        }
        var out = columns.map { quote($0.header) }.joined(separator: ",") + "\n"
        for row in rows { out += row.map(quote).joined(separator: ",") + "\n" }
        return out
    }

    /// Tab-separated values without a header, for `cut` and `while read`. A tab, newline or
    /// other control (or bidirectional) character in a cell shows as a visible symbol
    /// (`terminalSafe`: a tab as U+2409), so fields and rows always split where they should.
    static func tsv(_ rows: [[String]]) -> String {
        var out = ""
        for row in rows {
            out += row.map { $0.terminalSafe() }.joined(separator: "\t") + "\n"
        }
        return out
    }

    /// JSON objects as csv (a header of `keys`) or tsv rows, one per object, with the values
    /// of their JSON: see `cell`. A key an object lacks is an empty cell.
    static func delimited(_ objects: [JSONValue], keys: [String], format: OutputFormat) -> String {
        let rows = objects.map { object in keys.map { key in object[key].map(cell) ?? "" } }
        return format == .csv ? csv(keys.map { Column($0) }, rows) : tsv(rows)
    }

    /// A JSON value as a csv or tsv cell: a string as it is, null as an empty cell, a number
    /// or a boolean as JSON writes it, an array or object as compact JSON.
    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .string(let text): return text
        default: return value.serialized()
        }
    }

    /// Columns a string takes on a terminal (one per scalar; good enough for our text).
    static func displayWidth(_ s: String) -> Int { s.unicodeScalars.count }
}

extension String {
    /// Replaces every occurrence of `target` (FoundationEssentials-free).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
