package dev.gopherscope.sidecar.pprof;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through until more than a limit have come, then fails. It sits between gunzip and
 * the protobuf reader, so a decompression bomb is stopped after at most {@code limit} bytes of
 * work and without the decoder ever holding them all.
 */
public final class CappedInputStream extends FilterInputStream {

  private final long limit;
  private final String overLimit;
  private long count;

  CappedInputStream(InputStream in, long limit) {
    this(in, limit, "the profile is larger than " + limit
        + " bytes once decompressed (PprofLimits.maxDecompressedBytes); refused as a possible decompression bomb");
  }

  /** A stream that fails with {@code overLimit} as its message once more than {@code limit} bytes came. */
  public CappedInputStream(InputStream in, long limit, String overLimit) {
    super(in);
    this.limit = limit;
    this.overLimit = overLimit;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      admit(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    // Ask for at most one byte past the limit: enough to tell that it was exceeded.
    long allowed = limit - count + 1;
    int n = super.read(buffer, offset, (int) Math.min(length, allowed));
    if (n > 0) {
      admit(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(Math.min(n, limit - count + 1));
    admit(skipped);
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void admit(long n) {
    count += n;
    if (count > limit) {
      throw new PprofFormatException(overLimit);
    }
  }
}
