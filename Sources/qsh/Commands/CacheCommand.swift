// `qsh cache clear|path|info`: the client-side cache of finished tasks, one SQLite file per
// qsh server under $XDG_CACHE_HOME/qsh (Client/ResultCache.swift).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum CacheCommand {
    static let command = Command(
        name: "cache",
        summary: "Show or empty the cache of finished tasks read from qsh servers",
        details: """
            In client mode (--api, $QSH_API), tasks that ended, their results and their events are kept in
            one SQLite file per server under $XDG_CACHE_HOME/qsh (default ~/.cache/qsh): they never change,
            so 'tasks get', 'tasks results' and 'tasks events' of a finished task given by its full id are
            answered without a request, and --offline answers from the cache alone.
            """,
        examples: ["qsh cache info", "qsh cache clear", "qsh cache clear --api http://127.0.0.1:8080"],
        subcommands: [
            Command(
                name: "clear", summary: "Empty the cache (every server's, or only --api's)",
                synopsis: ["cache clear [--api <url>]"],
                options: [CommonOptions.api], arguments: 0...0,
                run: { invocation in
                    let files = try selected(invocation)
                    for file in files { try ResultCache(path: file, serverURL: "").clear() }
                    invocation.stderr.line("cleared \(files.count) cache file\(files.count == 1 ? "" : "s")")
                    return .ok
                }),
            Command(
                name: "path", summary: "Print the cache folder (or with --api, that server's file)",
                synopsis: ["cache path [--api <url>]"], options: [CommonOptions.api], arguments: 0...0,
                run: { invocation in
                    let context = invocation.context
                    let folder = ResultCache.folder(environment: context.environment, home: context.home)
                    if let api = invocation.arguments.value("--api") {
                        invocation.stdout.line(folder + "/" + ResultCache.fileName(for: try ServerAddress(api)))
                    } else {
                        invocation.stdout.line(folder)
                    }
                    return .ok
                }),
            Command(
                name: "info", summary: "List the cache files: server, tasks, size",
                synopsis: ["cache info"], options: CommonOptions.output, arguments: 0...0,
                run: { invocation in
                    let format = try OutputFormat.resolve(invocation)
                    let context = invocation.context
                    let folder = ResultCache.folder(environment: context.environment, home: context.home)
                    var rows: [[String]] = []
                    var objects: [JSONValue] = []
                    for file in ResultCache.files(in: folder) {
                        guard let (server, tasks) = ResultCache(path: file, serverURL: "").summary() else { continue }
                        var info = stat()
                        let size = stat(file, &info) == 0 ? Int(info.st_size) : 0
                        rows.append([server, String(tasks), String(size), file])
                        objects.append(.object([
                            ("server", .string(server)), ("tasks", .int(tasks)), ("bytes", .int(size)), ("path", .string(file)),
                        ]))
                    }
                    switch format {
                    case .json: invocation.stdout.line(JSONValue.array(objects).prettySerialized())
                    case .ndjson: for object in objects { invocation.stdout.line(object.serialized()) }
                    case .csv:
                        invocation.stdout.write(
                            TableRenderer.csv(["server", "tasks", "bytes", "path"].map { Column($0) }, rows))
                    case .tsv: invocation.stdout.write(TableRenderer.tsv(rows))
                    case .table, .wide:
                        invocation.stdout.write(
                            TableRenderer.table(
                                [Column("SERVER"), Column("TASKS", .right), Column("BYTES", .right), Column("PATH")], rows,
                                color: context.terminal.colorStdout))
                    }
                    return .ok
                }),
        ])

    /// The files `cache clear` empties: `--api`'s, or every one.
    static func selected(_ invocation: Invocation) throws -> [String] {
        let context = invocation.context
        let folder = ResultCache.folder(environment: context.environment, home: context.home)
        if let api = invocation.arguments.value("--api") {
            let file = folder + "/" + ResultCache.fileName(for: try ServerAddress(api))
            return access(file, F_OK) == 0 ? [file] : []
        }
        return ResultCache.files(in: folder)
    }
}
