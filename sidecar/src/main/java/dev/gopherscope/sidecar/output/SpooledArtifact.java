package dev.gopherscope.sidecar.output;

import java.nio.file.Path;

/** An artifact written to the local spool: the bytes are safe before any upload is tried. */
public record SpooledArtifact(String name, String kind, Path file, long bytes, String sha256, String contentType) {
}
