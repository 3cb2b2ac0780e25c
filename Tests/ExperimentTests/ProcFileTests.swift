import Testing
@testable import Experiment

/// `ProcFile`: /proc's "key: value" lines, keys matched whole (tabs and spaces around them
/// trimmed), the first line of a key winning (/proc/cpuinfo repeats every key per CPU).
struct ProcFileTests {
    private let cpuInfo = """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC 7R13 Processor
        model\t\t: 1
        flags\t\t: fpu sse2 avx2 fma
        vmx flags\t: ept
        processor\t: 1
        model name\t: another CPU
        """

    @Test func keysMatchWholeAndTheFirstLineWins() {
        #expect(ProcFile.value(of: "model name", inText: cpuInfo) == "AMD EPYC 7R13 Processor")
        #expect(ProcFile.value(of: "model", inText: cpuInfo) == "1", "not the \"model name\" line")
        #expect(ProcFile.value(of: "flags", inText: cpuInfo) == "fpu sse2 avx2 fma")
        #expect(ProcFile.value(of: "cache size", inText: cpuInfo) == nil)
        #expect(ProcFile.value(of: "VmHWM", inText: "Name:\treslab\nVmPeak:\t  400000 kB\nVmHWM:\t  123456 kB\n") == "123456 kB")
        #expect(ProcFile.value(of: "flags", in: "/nonexistent/cpuinfo") == nil)
    }
}
