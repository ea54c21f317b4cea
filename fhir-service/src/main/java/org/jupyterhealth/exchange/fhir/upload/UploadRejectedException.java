package org.jupyterhealth.exchange.fhir.upload;

/** The whole request is refused before anything is produced: answered with an OperationOutcome. */
public class UploadRejectedException extends RuntimeException {
    private final int status;
    private final String issueCode;

    public UploadRejectedException(int status, String issueCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.issueCode = issueCode;
    }

    public int status() {
        return status;
    }

    public String issueCode() {
        return issueCode;
    }
}
