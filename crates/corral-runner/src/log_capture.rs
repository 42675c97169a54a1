//! Turning a job's (already masked) output into timestamped log lines, up to a size cap.
//!
//! Each stream is split into lines as it arrives; a line is stamped with the time its last
//! byte was read. A line that grows past [`MAX_LINE_BYTES`] without a newline is cut there,
//! so a job printing a progress bar without newlines cannot hold the whole output in memory.
//! Once the kept bytes reach the cap, further output is counted but dropped, and a notice
//! at the end says how much: a runaway job fills neither the disk nor the database, and the
//! reader knows the log is incomplete.

use chrono::{DateTime, Utc};

use crate::records::{LogLine, LogStream, RunLog};

/// Longest line kept as one line.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

#[derive(Debug)]
pub struct LogCapture {
    cap: u64,
    kept: u64,
    total: u64,
    dropped: u64,
    lines: Vec<LogLine>,
    partial_out: Vec<u8>,
    partial_err: Vec<u8>,
}

impl LogCapture {
    /// A capture that keeps at most `cap` bytes of output.
    pub fn new(cap: u64) -> Self {
        Self {
            cap,
            kept: 0,
            total: 0,
            dropped: 0,
            lines: Vec::new(),
            partial_out: Vec::new(),
            partial_err: Vec::new(),
        }
    }

    /// Counts bytes the job wrote (before masking changed their length).
    pub fn count_raw(&mut self, bytes: usize) {
        self.total += bytes as u64;
    }

    /// Adds masked bytes of `stream` read at `at`.
    pub fn push(&mut self, stream: LogStream, bytes: &[u8], at: DateTime<Utc>) {
        let mut partial = std::mem::take(self.partial(stream));
        for &b in bytes {
            if b == b'\n' {
                self.keep(stream, &partial, at);
                partial.clear();
            } else {
                partial.push(b);
                if partial.len() >= MAX_LINE_BYTES {
                    self.keep(stream, &partial, at);
                    partial.clear();
                }
            }
        }
        *self.partial(stream) = partial;
    }

    /// Adds a line of the runner's own (kill reasons, sandbox notes); not counted against the
    /// cap.
    pub fn note(&mut self, text: impl Into<String>, at: DateTime<Utc>) {
        self.lines.push(LogLine {
            at,
            stream: LogStream::Runner,
            text: text.into(),
        });
    }

    /// Flushes unfinished lines and returns the log.
    pub fn finish(mut self, at: DateTime<Utc>) -> RunLog {
        for stream in [LogStream::Stdout, LogStream::Stderr] {
            let partial = std::mem::take(self.partial(stream));
            if !partial.is_empty() {
                self.keep(stream, &partial, at);
            }
        }
        let truncated = self.dropped > 0;
        if truncated {
            let (kept, dropped) = (self.kept, self.dropped);
            self.note(
                format!(
                    "[corral] output truncated: kept the first {kept} bytes, dropped {dropped} more \
                     (raise limits.output_bytes to keep more)"
                ),
                at,
            );
        }
        RunLog {
            lines: self.lines,
            total_bytes: self.total,
            truncated,
        }
    }

    fn partial(&mut self, stream: LogStream) -> &mut Vec<u8> {
        match stream {
            LogStream::Stderr => &mut self.partial_err,
            _ => &mut self.partial_out,
        }
    }

    fn keep(&mut self, stream: LogStream, line: &[u8], at: DateTime<Utc>) {
        let size = line.len() as u64 + 1;
        if self.dropped > 0 || self.kept + size > self.cap {
            self.dropped += size;
            return;
        }
        self.kept += size;
        let text = String::from_utf8_lossy(line);
        let text = text.strip_suffix('\r').unwrap_or(&text);
        self.lines.push(LogLine {
            at,
            stream,
            text: text.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(sec: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + i64::from(sec), 0).unwrap()
    }

    #[test]
    fn lines_are_split_across_chunks_and_stamped_when_they_end() {
        let mut log = LogCapture::new(1024);
        log.push(LogStream::Stdout, b"hel", at(1));
        log.push(LogStream::Stderr, b"warn\n", at(2));
        log.push(LogStream::Stdout, b"lo\nwor", at(3));
        log.push(LogStream::Stdout, b"ld", at(4));
        let log = log.finish(at(5));
        let got: Vec<_> = log
            .lines
            .iter()
            .map(|l| (l.at, l.stream, l.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (at(2), LogStream::Stderr, "warn"),
                (at(3), LogStream::Stdout, "hello"),
                (at(5), LogStream::Stdout, "world"),
            ]
        );
        assert!(!log.truncated);
    }

    #[test]
    fn output_past_the_cap_is_dropped_with_a_notice_that_says_how_much() {
        let mut log = LogCapture::new(10);
        let text = b"12345\n67890\nabc\n";
        log.count_raw(text.len());
        log.push(LogStream::Stdout, text, at(1));
        let log = log.finish(at(2));
        assert_eq!(log.total_bytes, 16);
        assert!(log.truncated);
        assert_eq!(log.lines[0].text, "12345");
        assert_eq!(log.lines.len(), 2);
        assert!(
            log.lines[1]
                .text
                .contains("kept the first 6 bytes, dropped 10 more"),
            "{}",
            log.lines[1].text
        );
        assert_eq!(log.lines[1].stream, LogStream::Runner);
    }

    #[test]
    fn an_endless_line_is_cut_into_bounded_pieces() {
        let mut log = LogCapture::new(1 << 20);
        log.push(
            LogStream::Stdout,
            &vec![b'x'; MAX_LINE_BYTES * 2 + 5],
            at(1),
        );
        let log = log.finish(at(2));
        let sizes: Vec<_> = log.lines.iter().map(|l| l.text.len()).collect();
        assert_eq!(sizes, [MAX_LINE_BYTES, MAX_LINE_BYTES, 5]);
    }
}
