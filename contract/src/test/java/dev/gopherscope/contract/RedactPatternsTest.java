package dev.gopherscope.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactPatternsTest {

  @ParameterizedTest
  @ValueSource(strings = {"(?i)bearer [a-z0-9._-]+", "\\b\\d{16}\\b", "token=\\w+", "(?P<secret>s3cr3t)",
      "\\Qa.b\\E", "[[:alpha:]]+", "\\p{Greek}+", "(a+)+$"})
  void re2PatternsCompile(String pattern) {
    assertThat(RedactPatterns.compile(List.of(pattern))).hasSize(1);
  }

  /** What java.util.regex accepts and RE2 does not: the operator must refuse these before injecting. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "(a)\\1          | invalid escape sequence: `\\1`",
      "(?=x)y          | invalid or unsupported Perl syntax: `(?=`",
      "(?<=a)b         | invalid named capture: `(?<=a)b`",
      "a++             | invalid nested repetition operator: `++`",
      "(unclosed       | missing closing ): `(unclosed`"})
  void whatRe2CannotCompileIsRefusedNamingThePatternAndWhy(String pattern, String why) {
    assertThatThrownBy(() -> RedactPatterns.compile(List.of("ok", pattern)))
        .isInstanceOf(RedactPatterns.InvalidPatternException.class)
        .hasMessageContaining("redact pattern #2 '" + pattern + "' is not a valid RE2 regular expression")
        .hasMessageContaining(why)
        .hasMessageContaining("RE2 has no backreferences or lookaround");
  }

  @Test
  void anEmptyPatternWouldMatchEverywhere() {
    assertThatThrownBy(() -> RedactPatterns.compile(List.of("")))
        .isInstanceOf(RedactPatterns.InvalidPatternException.class).hasMessageContaining("#1 is empty");
  }
}
