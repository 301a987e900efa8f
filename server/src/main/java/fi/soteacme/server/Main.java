package fi.soteacme.server;

public final class Main {
  public static void main(String[] args) {
    System.out.println("sote-acme");
  }
}
