import Foundation

/// Values of Linux's "key: value" files under /proc (/proc/cpuinfo, /proc/self/status): the CPU
/// model a run folder's environment.json records, and the machine line, CPU flags and peak
/// memory the benchmarks print.
public enum ProcFile {
    /// The value of the first line of the file at `path` whose key (the text before the first
    /// colon, spaces and tabs trimmed) is `key`, trimmed; nil when the file or the key is missing.
    public static func value(of key: String, in path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { value(of: key, inText: $0) }
    }

    /// `value(of:in:)` on the file's text.
    static func value(of key: String, inText text: String) -> String? {
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].trimmingCharacters(in: .whitespaces) == key else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
