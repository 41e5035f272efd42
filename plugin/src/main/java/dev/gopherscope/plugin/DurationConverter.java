package dev.gopherscope.plugin;

import dev.gopherscope.contract.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations written as Go writes them (30s, 1m30s, 250ms), like the DebugSession spec. */
final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return GoDuration.parse(value);
    } catch (RuntimeException e) {
      throw new TypeConversionException("'" + value + "' is not a duration such as 30s, 5m or 250ms");
    }
  }
}
