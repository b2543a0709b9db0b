// Renders API tokens (`qsh tokens`) in every output format: a table or a field list for
// people, json and ndjson (the wire shape and the status at the moment of the command), csv
// with a header and tsv without. A secret appears only in what `tokens create` prints.
import QshCore

enum TokenRenderer {
    /// The token's wire shape with its `status` at `now` (active, expired or revoked).
    static func json(_ token: AccessToken, now: Timestamp) -> JSONValue {
        guard case .object(var members) = token.wireJSON else { return token.wireJSON }
        members.append(("status", .string(token.status(at: now).rawValue)))
        return .object(members)
    }

    /// The keys of the csv header, in the order of the csv and tsv cells.
    static let delimitedKeys = [
        "id", "user", "scope", "created_date", "last_used_date", "expires_date", "revoked_date", "status",
    ]

    /// A token's csv and tsv cells: its JSON values, empty for null.
    static func delimitedRow(_ t: AccessToken, now: Timestamp) -> [String] {
        [t.id, t.user, t.scope.rawValue, t.created.rfc3339, t.lastUsed?.rfc3339 ?? "", t.expires?.rfc3339 ?? "",
         t.revoked?.rfc3339 ?? "", t.status(at: now).rawValue]
    }

    /// `tokens list`: a table (wide adds when each was revoked), a page envelope in json.
    static func list(_ tokens: [AccessToken], now: Timestamp, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json:
            return JSONValue.object([
                ("elements", .array(tokens.map { json($0, now: now) })), ("page", 0), ("size", .int(tokens.count)),
                ("total", .int(tokens.count)),
            ]).prettySerialized() + "\n"
        case .ndjson: return tokens.map { json($0, now: now).serialized() + "\n" }.joined()
        case .csv: return TableRenderer.csv(delimitedKeys.map { Column($0) }, tokens.map { delimitedRow($0, now: now) })
        case .tsv: return TableRenderer.tsv(tokens.map { delimitedRow($0, now: now) })
        case .table, .wide:
            var columns = [
                Column("ID"), Column("USER"), Column("SCOPE"), Column("CREATED"), Column("LAST USED"), Column("EXPIRES"),
                Column("STATUS"),
            ]
            if format == .wide { columns.append(Column("REVOKED")) }
            let rows = tokens.map { t in
                [t.id, t.user, t.scope.rawValue, t.created.rfc3339, t.lastUsed?.rfc3339 ?? "never",
                 t.expires?.rfc3339 ?? "never", t.status(at: now).rawValue]
                    + (format == .wide ? [t.revoked?.rfc3339 ?? ""] : [])
            }
            return TableRenderer.table(columns, rows, color: color)
        }
    }

    /// The fields of one token for people, in order.
    static func fields(_ t: AccessToken, now: Timestamp) -> [(String, String)] {
        var rows = [
            ("id", t.id), ("user", t.user), ("scope", t.scope.rawValue), ("created", t.created.rfc3339),
            ("last used", t.lastUsed?.rfc3339 ?? "never"), ("expires", t.expires?.rfc3339 ?? "never"),
            ("status", t.status(at: now).rawValue),
        ]
        if let revoked = t.revoked { rows.append(("revoked", revoked.rfc3339)) }
        return rows
    }

    static func fieldList(_ rows: [(String, String)], color: Bool) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { key, value in
            Style.bold.apply(key + ":", if: color) + String(repeating: " ", count: width - key.count + 1)
                + value.terminalSafe() + "\n"
        }.joined()
    }

    /// One token (`tokens revoke`): a field list, its object, or one csv/tsv row.
    static func token(_ token: AccessToken, now: Timestamp, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json: return json(token, now: now).prettySerialized() + "\n"
        case .ndjson: return json(token, now: now).serialized() + "\n"
        case .csv, .tsv: return list([token], now: now, format: format, color: color)
        case .table, .wide: return fieldList(fields(token, now: now), color: color)
        }
    }

    /// A token just made, with its secret: the secret first, then the token's fields; in json
    /// `{"token": {...}, "secret": "qsh_..."}`; csv and tsv add a `secret` cell.
    static func created(_ token: AccessToken, secret: String, now: Timestamp, format: OutputFormat, color: Bool)
        -> String
    {
        let object = JSONValue.object([("token", json(token, now: now)), ("secret", .string(secret))])
        switch format {
        case .json: return object.prettySerialized() + "\n"
        case .ndjson: return object.serialized() + "\n"
        case .csv:
            return TableRenderer.csv(
                (delimitedKeys + ["secret"]).map { Column($0) }, [delimitedRow(token, now: now) + [secret]])
        case .tsv: return TableRenderer.tsv([delimitedRow(token, now: now) + [secret]])
        case .table, .wide:
            return fieldList([("token", secret)] + fields(token, now: now).filter { $0.0 != "last used" }, color: color)
        }
    }
}
