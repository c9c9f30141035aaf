# Generated from ui/response_form.ui by pcc_desk.gui.forms.build; do not edit.
# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
    QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_ResponseForm(object):
    def setupUi(self, ResponseForm):
        if not ResponseForm.objectName():
            ResponseForm.setObjectName(u"ResponseForm")
        ResponseForm.resize(640, 600)
        self.verticalLayout = QVBoxLayout(ResponseForm)
        self.verticalLayout.setObjectName(u"verticalLayout")
        self.headingLabel = QLabel(ResponseForm)
        self.headingLabel.setObjectName(u"headingLabel")
        self.headingLabel.setWordWrap(True)

        self.verticalLayout.addWidget(self.headingLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        self.receivedLabel = QLabel(ResponseForm)
        self.receivedLabel.setObjectName(u"receivedLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.receivedLabel)

        self.receivedEdit = QDateEdit(ResponseForm)
        self.receivedEdit.setObjectName(u"receivedEdit")
        self.receivedEdit.setCalendarPopup(True)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.receivedEdit)

        self.fromLabel = QLabel(ResponseForm)
        self.fromLabel.setObjectName(u"fromLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.fromLabel)

        self.fromEdit = QLineEdit(ResponseForm)
        self.fromEdit.setObjectName(u"fromEdit")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.fromEdit)

        self.positionLabel = QLabel(ResponseForm)
        self.positionLabel.setObjectName(u"positionLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.positionLabel)

        self.positionCombo = QComboBox(ResponseForm)
        self.positionCombo.setObjectName(u"positionCombo")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.positionCombo)

        self.implementationLabel = QLabel(ResponseForm)
        self.implementationLabel.setObjectName(u"implementationLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.implementationLabel)

        self.implementationCombo = QComboBox(ResponseForm)
        self.implementationCombo.setObjectName(u"implementationCombo")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.implementationCombo)

        self.assessmentLabel = QLabel(ResponseForm)
        self.assessmentLabel.setObjectName(u"assessmentLabel")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.assessmentLabel)

        self.assessmentCombo = QComboBox(ResponseForm)
        self.assessmentCombo.setObjectName(u"assessmentCombo")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.assessmentCombo)

        self.kindLabel = QLabel(ResponseForm)
        self.kindLabel.setObjectName(u"kindLabel")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.kindLabel)

        self.kindCombo = QComboBox(ResponseForm)
        self.kindCombo.setObjectName(u"kindCombo")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.kindCombo)

        self.targetCheck = QCheckBox(ResponseForm)
        self.targetCheck.setObjectName(u"targetCheck")

        self.formLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.targetCheck)

        self.targetEdit = QDateEdit(ResponseForm)
        self.targetEdit.setObjectName(u"targetEdit")
        self.targetEdit.setEnabled(False)
        self.targetEdit.setCalendarPopup(True)

        self.formLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.targetEdit)


        self.verticalLayout.addLayout(self.formLayout)

        self.textHeaderLayout = QHBoxLayout()
        self.textHeaderLayout.setObjectName(u"textHeaderLayout")
        self.textLabel = QLabel(ResponseForm)
        self.textLabel.setObjectName(u"textLabel")

        self.textHeaderLayout.addWidget(self.textLabel)

        self.textSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.textHeaderLayout.addItem(self.textSpacer)

        self.importButton = QPushButton(ResponseForm)
        self.importButton.setObjectName(u"importButton")

        self.textHeaderLayout.addWidget(self.importButton)


        self.verticalLayout.addLayout(self.textHeaderLayout)

        self.textEdit = QPlainTextEdit(ResponseForm)
        self.textEdit.setObjectName(u"textEdit")
        self.textEdit.setTabChangesFocus(True)

        self.verticalLayout.addWidget(self.textEdit)

        self.statusLayout = QFormLayout()
        self.statusLayout.setObjectName(u"statusLayout")
        self.statusLayout.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        self.statusLabel = QLabel(ResponseForm)
        self.statusLabel.setObjectName(u"statusLabel")

        self.statusLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.statusLabel)

        self.statusCombo = QComboBox(ResponseForm)
        self.statusCombo.setObjectName(u"statusCombo")

        self.statusLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.statusCombo)

        self.noteLabel = QLabel(ResponseForm)
        self.noteLabel.setObjectName(u"noteLabel")

        self.statusLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.noteLabel)

        self.noteEdit = QLineEdit(ResponseForm)
        self.noteEdit.setObjectName(u"noteEdit")

        self.statusLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.noteEdit)


        self.verticalLayout.addLayout(self.statusLayout)

        self.problemLabel = QLabel(ResponseForm)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setStyleSheet(u"color: #b91c1c;")
        self.problemLabel.setWordWrap(True)

        self.verticalLayout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(ResponseForm)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.verticalLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.receivedLabel.setBuddy(self.receivedEdit)
        self.fromLabel.setBuddy(self.fromEdit)
        self.positionLabel.setBuddy(self.positionCombo)
        self.implementationLabel.setBuddy(self.implementationCombo)
        self.assessmentLabel.setBuddy(self.assessmentCombo)
        self.kindLabel.setBuddy(self.kindCombo)
        self.textLabel.setBuddy(self.textEdit)
        self.statusLabel.setBuddy(self.statusCombo)
        self.noteLabel.setBuddy(self.noteEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.receivedEdit, self.fromEdit)
        QWidget.setTabOrder(self.fromEdit, self.positionCombo)
        QWidget.setTabOrder(self.positionCombo, self.implementationCombo)
        QWidget.setTabOrder(self.implementationCombo, self.assessmentCombo)
        QWidget.setTabOrder(self.assessmentCombo, self.textEdit)
        QWidget.setTabOrder(self.textEdit, self.importButton)
        QWidget.setTabOrder(self.importButton, self.statusCombo)
        QWidget.setTabOrder(self.statusCombo, self.noteEdit)

        self.retranslateUi(ResponseForm)
    # setupUi

    def retranslateUi(self, ResponseForm):
        ResponseForm.setWindowTitle(QCoreApplication.translate("ResponseForm", u"Log a response", None))
        self.headingLabel.setText(QCoreApplication.translate("ResponseForm", u"Response to", None))
        self.receivedLabel.setText(QCoreApplication.translate("ResponseForm", u"Date &received:", None))
#if QT_CONFIG(accessibility)
        self.receivedEdit.setAccessibleName(QCoreApplication.translate("ResponseForm", u"Date received", None))
#endif // QT_CONFIG(accessibility)
        self.receivedEdit.setDisplayFormat(QCoreApplication.translate("ResponseForm", u"d MMMM yyyy", None))
        self.fromLabel.setText(QCoreApplication.translate("ResponseForm", u"&From:", None))
#if QT_CONFIG(accessibility)
        self.fromEdit.setAccessibleName(QCoreApplication.translate("ResponseForm", u"From (who sent the response)", None))
#endif // QT_CONFIG(accessibility)
        self.fromEdit.setPlaceholderText(QCoreApplication.translate("ResponseForm", u"e.g. Sir Mark Rowley, Commissioner", None))
        self.positionLabel.setText(QCoreApplication.translate("ResponseForm", u"The Met's &position:", None))
#if QT_CONFIG(accessibility)
        self.positionCombo.setAccessibleName(QCoreApplication.translate("ResponseForm", u"The Met's position", None))
#endif // QT_CONFIG(accessibility)
        self.implementationLabel.setText(QCoreApplication.translate("ResponseForm", u"&Implementation:", None))
#if QT_CONFIG(accessibility)
        self.implementationCombo.setAccessibleName(QCoreApplication.translate("ResponseForm", u"Implementation the Met reports", None))
#endif // QT_CONFIG(accessibility)
        self.assessmentLabel.setText(QCoreApplication.translate("ResponseForm", u"Committee's &assessment:", None))
#if QT_CONFIG(accessibility)
        self.assessmentCombo.setAccessibleName(QCoreApplication.translate("ResponseForm", u"The Committee's assessment", None))
#endif // QT_CONFIG(accessibility)
        self.kindLabel.setText(QCoreApplication.translate("ResponseForm", u"&Kind:", None))
#if QT_CONFIG(accessibility)
        self.kindCombo.setAccessibleName(QCoreApplication.translate("ResponseForm", u"A response, or a progress update on doing it", None))
#endif // QT_CONFIG(accessibility)
        self.targetCheck.setText(QCoreApplication.translate("ResponseForm", u"&Target date given:", None))
#if QT_CONFIG(accessibility)
        self.targetCheck.setAccessibleName(QCoreApplication.translate("ResponseForm", u"The response gives a target date", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.targetEdit.setAccessibleName(QCoreApplication.translate("ResponseForm", u"The date it will be done by, as given", None))
#endif // QT_CONFIG(accessibility)
        self.targetEdit.setDisplayFormat(QCoreApplication.translate("ResponseForm", u"d MMMM yyyy", None))
        self.textLabel.setText(QCoreApplication.translate("ResponseForm", u"Response &text (paste it, or import it from the letter):", None))
        self.importButton.setText(QCoreApplication.translate("ResponseForm", u"I&mport from file\u2026", None))
#if QT_CONFIG(accessibility)
        self.importButton.setAccessibleName(QCoreApplication.translate("ResponseForm", u"Import the response text from a .docx, .pdf or .txt file", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.textEdit.setAccessibleName(QCoreApplication.translate("ResponseForm", u"Response text", None))
#endif // QT_CONFIG(accessibility)
        self.statusLabel.setText(QCoreApplication.translate("ResponseForm", u"&Status afterwards:", None))
#if QT_CONFIG(accessibility)
        self.statusCombo.setAccessibleName(QCoreApplication.translate("ResponseForm", u"Status afterwards", None))
#endif // QT_CONFIG(accessibility)
        self.noteLabel.setText(QCoreApplication.translate("ResponseForm", u"&Note:", None))
#if QT_CONFIG(accessibility)
        self.noteEdit.setAccessibleName(QCoreApplication.translate("ResponseForm", u"Note for the status history", None))
#endif // QT_CONFIG(accessibility)
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("ResponseForm", u"Why the status changes (optional)", None))
#if QT_CONFIG(accessibility)
        self.problemLabel.setAccessibleName(QCoreApplication.translate("ResponseForm", u"What is missing before saving", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

