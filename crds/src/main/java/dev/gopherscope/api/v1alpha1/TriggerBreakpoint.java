package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where a breakpoint trigger fires. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerBreakpoint {

  @Required
  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Where to stop, as Delve reads it: a function (main.handleCheckout) or file:line.")
  private String location;

  @Size(max = 1024)
  @JsonPropertyDescription("A Delve expression over the location's variables; the trigger fires at the first hit "
      + "where it is true. Delve evaluates it with the target halted at every hit, so a hot location with a rare "
      + "condition halts the target often, if briefly.")
  private String condition;

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getCondition() {
    return condition;
  }

  public void setCondition(String condition) {
    this.condition = condition;
  }
}
