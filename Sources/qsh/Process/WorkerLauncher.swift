// Starts a detached `qsh worker --idle-exit 30` after a submit when no worker holds
// a live registration: posix_spawn in a new session (setsid), stdio on /dev/null,
// no other inherited descriptors, default signal dispositions, an empty signal mask.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum WorkerLauncher {
    /// How long the launcher's placeholder counts as a live worker while the new one starts.
    static let startGrace = 10.0

    /// Starts a worker unless one is live (or being started).
    /// - Returns: a warning for the user when it cannot check or cannot start one; nil otherwise.
    static func ensureWorker(store: any TaskRepository, executable: String, database: String) -> String? {
        do {
            guard try store.reserveWorkerStart(at: SystemClock().now(), seconds: startGrace) else { return nil }
        } catch {
            return "cannot check for a running worker: \((error as? QshError)?.message ?? "\(error)")"
        }
        // A PostgreSQL address may hold a password: it goes by the environment, which other
        // users cannot read, not on the command line, which `ps` shows to everyone.
        let postgres = PostgresAddress.isPostgres(database)
        let arguments = ["worker", "--idle-exit", "30"] + (postgres ? [] : ["--db", database])
        if let problem = spawn(executable, arguments, database: postgres ? database : nil) {
            return "cannot start a worker (\(problem)); run 'qsh worker' to process tasks"
        }
        return nil
    }

    /// The descriptors open in this process, from /proc/self/fd (empty if unreadable).
    static func openDescriptors() -> [Int32] {
        guard let dir = opendir("/proc/self/fd") else { return [] }
        defer { closedir(dir) }
        let own = dirfd(dir)
        var fds: [Int32] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if let fd = Int32(name), fd != own { fds.append(fd) }
        }
        return fds
    }

    /// Spawns `executable arguments...` detached; returns an error text or nil.
    /// - Parameter database: set as QSH_DB in the worker's environment when given.
    static func spawn(_ executable: String, _ arguments: [String], database: String? = nil) -> String? {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Descriptors we inherited without close-on-exec (a caller's pipe, say) must not
        // live on in the worker: whoever reads that pipe would wait for it to exit.
        // (posix_spawn_file_actions_addclosefrom_np is not visible to Swift.)
        for fd in openDescriptors() where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGHUP)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // glibc's POSIX_SPAWN_SETSID (0x80, glibc 2.26) is not imported into Swift.
        let setsid: Int32 = 0x80
        posix_spawnattr_setflags(
            &attributes, Int16(setsid | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        var environment: [UnsafeMutablePointer<CChar>?] = []
        if let database {
            var p = environ
            while let entry = p.pointee {
                if strncmp(entry, "QSH_DB=", 7) != 0 { environment.append(strdup(entry)) }
                p += 1
            }
            environment.append(strdup("QSH_DB=" + database))
            environment.append(nil)
        }
        defer { for p in environment { free(p) } }
        let rc = database == nil
            ? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
            : posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        return rc == 0 ? nil : String(cString: strerror(rc)).lowercased()
    }
}
