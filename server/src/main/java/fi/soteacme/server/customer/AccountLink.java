package fi.soteacme.server.customer;

/** An ACME account acting for an organisation's customer account in a role. */
public record AccountLink(
    long customerAccountId, String organisationOid, long accountId, Role role) {}
