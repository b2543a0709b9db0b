// The items of a batch submit: program files on the command line (labelled by their
// names) or a JSON manifest `{"label": "path.qasm" | {"source" | "path", "shots", "seed",
// "qpu"}}` whose paths and includes are relative to the manifest's folder.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

/// One item before it is read: its label, where its program is, and its own settings.
struct BatchManifestItem: Equatable {
    enum Program: Equatable {
        /// A file, as the user (or the manifest, resolved against its folder) named it.
        case path(String)
        /// The program's text, given in the manifest; includes are relative to `directory`.
        case source(String, name: String, directory: String)
    }

    var label: String
    var program: Program
    var shots: Int?
    var seed: UInt64?
    var qpuID: String?
}

enum BatchManifest {
    /// The most a manifest may hold: 256 MiB.
    static let maximumSize = 1 << 28
    /// The keys an item object may have.
    static let itemKeys = ["source", "path", "shots", "seed", "qpu"]

    /// Labels for files named on the command line: each file's name without its folder
    /// and without `.qasm`; where two files would share a label, their paths as given.
    /// - Throws: `UsageError` for a file given twice or `-` among several files.
    static func labels(forFiles paths: [String], _ arguments: ParsedArguments) throws -> [String] {
        if paths.count > 1, let dash = paths.firstIndex(of: "-") {
            throw UsageError(
                "standard input ('-') can only be submitted alone; put its program in a file, or use --batch",
                argument: arguments.word(ofPositional: dash))
        }
        func stem(_ path: String) -> String {
            var name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
            if name.hasSuffix(".qasm") && name.count > 5 { name.removeLast(5) }
            return name
        }
        var stems: [String: Int] = [:]
        for path in paths { stems[stem(path), default: 0] += 1 }
        var labels: [String] = []
        var seen = Set<String>()
        for (index, path) in paths.enumerated() {
            let label = stems[stem(path)] == 1 ? stem(path) : path
            guard seen.insert(label).inserted else {
                throw UsageError("the file '\(path)' is given twice", argument: arguments.word(ofPositional: index))
            }
            labels.append(label)
        }
        return labels
    }

    /// The items of the manifest at `path` (`-`: standard input), in its order.
    /// - Throws: `CommandFailure` for a file that cannot be read (exit 1) or is not a
    ///   valid manifest (`invalid_json` or `invalid_argument`, with where and what to do).
    static func read(_ path: String) throws -> [BatchManifestItem] {
        let name = path == "-" ? "<stdin>" : path
        let bytes = try QasmInput.readFileOrStandardInput(path, limit: maximumSize)
        guard bytes.count <= maximumSize else {
            throw CommandFailure(code: .resourceLimit, message: "the manifest '\(name)' is larger than 256 MiB")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw CommandFailure(
                code: .invalidJSON, message: "the manifest '\(name)' is not valid JSON: \(error.reason) at byte \(error.offset)")
        }
        return try items(value, name: name, directory: path == "-" ? "." : QasmInput.directoryOf(path))
    }

    /// The items of a parsed manifest.
    static func items(_ value: JSONValue, name: String, directory: String) throws -> [BatchManifestItem] {
        func invalid(_ what: String) -> CommandFailure {
            CommandFailure(code: .invalidArgument, message: "the manifest '\(name)' \(what)")
        }
        guard let members = value.objectValue else {
            throw invalid(#"must be a JSON object of labels, e.g. {"bell": "bell.qasm", "ghz": {"path": "ghz.qasm", "shots": 100}}"#)
        }
        guard !members.isEmpty else { throw invalid("has no items") }
        var seen = Set<String>()
        var items: [BatchManifestItem] = []
        for (label, entry) in members {
            guard !label.isEmpty else { throw invalid("has an empty label; give every item a label") }
            guard seen.insert(label).inserted else { throw invalid("has the label '\(label)' twice") }
            func resolve(_ file: String) -> String {
                file.hasPrefix("/") || directory == "." ? file : directory + "/" + file
            }
            if let file = entry.stringValue {
                items.append(BatchManifestItem(label: label, program: .path(resolve(file))))
                continue
            }
            guard let fields = entry.objectValue else {
                throw invalid("gives item '\(label)' neither a path nor an object with \"source\" or \"path\"")
            }
            for (key, _) in fields where !itemKeys.contains(key) {
                var message = "gives item '\(label)' the unknown key '\(key)'; use \(itemKeys.map { "'\($0)'" }.joined(separator: ", "))"
                if let guess = closestMatch(key, in: itemKeys) { message += " (did you mean '\(guess)'?)" }
                throw invalid(message)
            }
            let object = JSONValue.object(fields)
            var item: BatchManifestItem
            switch (object["source"]?.stringValue, object["path"]?.stringValue) {
            case (let text?, nil) where fields.allSatisfy({ $0.0 != "path" }):
                item = BatchManifestItem(
                    label: label, program: .source(text, name: "\(name)#\(label)", directory: directory))
            case (nil, let path?) where fields.allSatisfy({ $0.0 != "source" }):
                item = BatchManifestItem(label: label, program: .path(resolve(path)))
            default:
                throw invalid("must give item '\(label)' one of \"source\" (the program's text) or \"path\" (a file)")
            }
            if fields.contains(where: { $0.0 == "shots" }) {
                guard let shots = object["shots"]?.intValue, RunLimits.standard.shots.contains(shots) else {
                    throw invalid(
                        "gives item '\(label)' shots that are not a whole number from "
                            + "\(RunLimits.standard.shots.lowerBound) to \(RunLimits.standard.shots.upperBound)")
                }
                item.shots = shots
            }
            if fields.contains(where: { $0.0 == "seed" }) {
                guard let seed = object["seed"]?.intValue, (0...ParsedArguments.maximumSeed).contains(seed) else {
                    throw invalid("gives item '\(label)' a seed that is not a whole number from 0 to 2^53")
                }
                item.seed = UInt64(seed)
            }
            if fields.contains(where: { $0.0 == "qpu" }) {
                guard let qpu = object["qpu"]?.stringValue else { throw invalid("gives item '\(label)' a qpu that is not a string") }
                item.qpuID = qpu
            }
            items.append(item)
        }
        return items
    }
}
