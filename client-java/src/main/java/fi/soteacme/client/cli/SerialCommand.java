package fi.soteacme.client.cli;

import fi.soteacme.client.SerialNumber;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sote-acme serial}: a serial number in hex and decimal. */
@Command(
    name = "serial",
    mixinStandardHelpOptions = true,
    description = {
      "Print a certificate serial number in hex and in decimal.",
      "Hex is recognised by 0x, colons, a letter a-f or a leading zero; plain digits are decimal."
          + " Force a reading with --hex or --decimal."
    },
    footer = {
      "",
      "Examples:",
      "  sote-acme serial 0bf4eab0              # -> 0bf4eab0 = 200600240",
      "  sote-acme serial 87112293252494463413683796322992020427259",
      "  sote-acme serial --hex 12345678"
    })
final class SerialCommand extends BaseCommand {
  @Parameters(paramLabel = "SERIAL", description = "The serial number, hex or decimal.")
  String serial;

  @Option(names = "--hex", description = "Read the serial as hex.")
  boolean hex;

  @Option(names = "--decimal", description = "Read the serial as decimal.")
  boolean decimal;

  @Override
  int run() throws Exception {
    if (hex && decimal) {
      throw new ExitCodes.UsageException("Give --hex or --decimal, not both");
    }
    SerialNumber s =
        hex
            ? SerialNumber.parseHex(serial)
            : decimal ? SerialNumber.parseDecimal(serial) : SerialNumber.parse(serial);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("hex", s.toHex());
    json.put("colonHex", s.toColonHex());
    json.put("decimal", s.toDecimal());
    json.put("bytes", s.toHex().length() / 2);
    print(
        json,
        "hex:     " + s.toHex() + "\ncolons:  " + s.toColonHex() + "\ndecimal: " + s.toDecimal());
    return ExitCodes.OK;
  }
}
